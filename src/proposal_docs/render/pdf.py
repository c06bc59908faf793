"""PDF copies of the documents through LibreOffice headless (`build --pdf`).

Only documents whose .docx changed are converted (their hashes are remembered in
build/pdf/.sources.json, with the font mapping they were printed with and the PDF file itself, so
that a PDF committed in build/ is printed again). Each worker gets a
private LibreOffice profile, since two soffice processes sharing one profile block each other, and
every batch has a timeout. PDFs land in build/pdf/ with the documents' folder layout; LibreOffice
names them after the .docx. LibreOffice runs with a fontconfig file that prints every official font
that is not installed in the closest installed Simplified-Chinese face (render/fonts.py).
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import tempfile
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..files import atomic_write, find_program, read_regular, stays_inside
from .fonts import FontPlan, office_environment, plan_fonts

PDF_DIR = "pdf"
STATE = ".sources.json"
INSTALL_HINT = ("未找到 LibreOffice，无法生成 PDF。安装方法：Debian/Ubuntu 运行 "
                "`sudo apt-get install libreoffice-writer-nogui fonts-noto-cjk fonts-arphic-gkai00mp`；Windows 或 macOS 从 "
                "libreoffice.org 下载安装，并确认 soffice 在 PATH 中。公文字体（方正小标宋简体、仿宋_GB2312、"
                "楷体_GB2312、黑体、宋体）安装后 PDF 才与 Word 中一致；运行 `proposal-docs fonts` 查看缺少哪些字体。")
TIMEOUT_SECONDS = 300


class PdfProblem(Exception):
    pass


def find_office() -> str | None:
    return find_program("soffice") or find_program("libreoffice")


def _convert_batch(office: str, env: dict[str, str], build_dir: Path, folder: str, documents: list[str]) -> list[str]:
    target = build_dir / PDF_DIR / folder
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".tmp-pdf-", dir=target) as out, \
            tempfile.TemporaryDirectory(prefix="proposal-docs-office-") as profile:
        command = [office, "--headless", "--norestore", "--nolockcheck", f"-env:UserInstallation={Path(profile).as_uri()}",
                   "--convert-to", "pdf", "--outdir", out, *[str(build_dir / d) for d in documents]]
        try:
            subprocess.run(command, capture_output=True, timeout=TIMEOUT_SECONDS, check=False, env=env)
        except subprocess.TimeoutExpired as exc:
            raise PdfProblem(f"LibreOffice 转换 {folder} 超过 {TIMEOUT_SECONDS} 秒，已停止") from exc
        done = []
        for document in documents:
            produced = Path(out) / (Path(document).stem + ".pdf")
            if not produced.is_file():
                raise PdfProblem(f"LibreOffice 没有生成 {document} 的 PDF")
            os.replace(produced, target / produced.name)
            done.append(document)
        return done


def read_state(path: Path) -> dict[str, str]:
    """Which document each PDF was printed from, as build/pdf/.sources.json says. It may come from
    anyone's pull request and names the PDFs a build deletes: only documents inside build/ count."""
    try:
        state = json.loads(read_regular(path).decode("utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(state, dict):
        return {}
    return {doc: printed for doc, printed in state.items()
            if stays_inside(doc) and doc.endswith(".docx") and isinstance(printed, str)}


def convert_to_pdf(build_dir: Path, documents: dict[str, str], jobs: int) -> list[str]:
    """documents: build-relative .docx path -> content hash. Returns the documents converted."""
    office = find_office()
    if office is None:
        raise PdfProblem(INSTALL_HINT)
    root = build_dir / PDF_DIR
    state_file = root / STATE
    state = read_state(state_file)

    def pdf_of(doc: str) -> Path:
        return root / Path(doc).with_suffix(".pdf")

    def made(doc: str) -> str:
        """The record of a PDF as this machine wrote it: the document and fonts it was printed from,
        and the PDF file itself (inode). A PDF a pull request committed, with a record naming the
        document's hash, is another file: printed again, never kept."""
        try:
            info = os.lstat(pdf_of(doc))
        except OSError:
            return ""
        return f"{printed[doc]}:{info.st_ino}" if stat.S_ISREG(info.st_mode) else ""

    fonts: FontPlan = plan_fonts()
    printed = {d: f"{digest}:{fonts.fingerprint()}" for d, digest in documents.items()}  # new fonts, new PDFs
    todo = [d for d in sorted(documents) if not made(d) or state.get(d) != made(d)]
    batches: dict[str, list[str]] = defaultdict(list)
    for document in todo:
        batches[Path(document).parent.as_posix()].append(document)
    converted: list[str] = []
    try:
        with tempfile.TemporaryDirectory(prefix="proposal-docs-fonts-") as work, ThreadPoolExecutor(max(1, jobs)) as pool:
            env = office_environment(fonts, Path(work))
            for done in pool.map(lambda item: _convert_batch(office, env, build_dir, *item), batches.items()):
                converted += done
                state.update({d: made(d) for d in done})
    finally:
        for stale in [d for d in state if d not in documents]:
            pdf_of(stale).unlink(missing_ok=True)
            del state[stale]
        atomic_write(state_file, json.dumps(state, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8"))
    return converted
