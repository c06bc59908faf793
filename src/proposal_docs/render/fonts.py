"""Which installed faces print the official fonts the templates name (`build --pdf`, `fonts`).

The templates name 方正小标宋简体, 仿宋_GB2312, 楷体_GB2312, 黑体 and 宋体 (GB/T 9704). Where one is
not installed, LibreOffice would take whatever fontconfig offers first, often a Japanese variant of
a pan-CJK face, and print 仿宋, 楷体, 黑体 and 小标宋 alike. So before a conversion the tool asks
fontconfig which Simplified-Chinese families are installed (fc-list :lang=zh-cn), picks the best
one of the same kind for every missing official font — a FangSong face for 仿宋, else a Song face;
a Kai face for 楷体; a sans face for 黑体; a Song face for 宋体, and its bold for 小标宋 — and writes
a fontconfig file that includes the system configuration and adds one rule per font. LibreOffice
reads it through FONTCONFIG_FILE. A face fontconfig does not list for zh-cn (cwTeX 仿宋體, a
Traditional-Chinese font without 议, 协, 号…) is never used: it would print half the characters in
another face.

Without fontconfig (Windows, macOS) nothing is mapped; `fonts` then lists the font files found.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from ..files import find_program

SYSTEM_CONFIG = Path("/etc/fonts/fonts.conf")

# faces made for one of Japan, Korea, Taiwan or Hong Kong: their glyph forms are not GB ones
FOREIGN = re.compile(r"\b(JP|KR|TC|HK|TW|Big5)\b|Mincho|Gothic|明朝|ゴシック|Batang|Gulim|Dotum")

SONG = ("Noto Serif CJK SC", "Noto Serif SC", "Source Han Serif SC", "Source Han Serif CN", "思源宋体",
        "AR PL SungtiL GB", "AR PL UMing CN")
SANS = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN", "思源黑体",
        "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Droid Sans Fallback")
KAI = ("AR PL KaitiM GB", "AR PL UKai CN", "LXGW WenKai", "霞鹜文楷", "Noto Serif CJK SC")


@dataclass(frozen=True)
class Official:
    name: str  # as the templates name it
    kind: str  # 仿宋体, 楷体, … as a clerk calls the kind
    same: tuple[str, ...]  # the same design under other names (Windows, WPS, 方正, 华文)
    style: str | None  # another installed face of this very style (a FangSong, a Kai), before the stand-ins
    stand_ins: tuple[str, ...]  # free faces, best first
    kin: str  # last resort: any installed Simplified-Chinese family whose name says the kind
    bold: bool = False  # a stand-in prints in bold (小标宋 is a heavy Song)


OFFICIAL = (
    Official("方正小标宋简体", "小标宋体",
             ("方正小标宋_GBK", "方正小标宋简", "FZXiaoBiaoSong-B05S", "FZXiaoBiaoSong-B05"),
             r"小标宋|XiaoBiaoSong", SONG, r"宋|Song|Serif", bold=True),
    Official("仿宋_GB2312", "仿宋体",
             ("FangSong_GB2312", "仿宋", "FangSong", "方正仿宋_GBK", "方正仿宋简体", "华文仿宋", "STFangsong"),
             r"仿宋|Fang\s?Song", SONG, r"宋|Song|Serif"),
    Official("楷体_GB2312", "楷体",
             ("KaiTi_GB2312", "楷体", "KaiTi", "方正楷体_GBK", "方正楷体简体", "华文楷体", "STKaiti"),
             r"楷|Kai", KAI, r"宋|Song|Serif"),
    Official("黑体", "黑体",
             ("SimHei", "方正黑体_GBK", "方正黑体简体", "华文黑体", "STHeiti", "微软雅黑", "Microsoft YaHei"),
             None, SANS, r"黑|Hei|Sans"),
    Official("宋体", "宋体",
             ("SimSun", "新宋体", "NSimSun", "方正书宋_GBK", "方正书宋简体", "华文宋体", "STSong"),
             None, SONG, r"宋|Song|Serif"),
)


@dataclass(frozen=True)
class Choice:
    official: Official
    installed: bool  # the font itself is there: nothing to map
    face: str | None  # the family that prints it (None: nothing suitable installed)
    same_design: bool = False  # the face is the same font under another name
    printed_as: str = ""  # what fontconfig answers with the mapping in force


@dataclass
class FontPlan:
    choices: list[Choice]
    unusable: list[str] = field(default_factory=list)  # installed faces of a kind, but not for GB text
    config: str | None = None  # the fontconfig file's text, when fontconfig is there

    def fingerprint(self) -> str:
        text = "\n".join(f"{c.official.name}={c.face}" for c in self.choices)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def _fc(*args: str, env: dict | None = None) -> str:
    tool = find_program(args[0])
    if tool is None:
        return ""
    try:
        done = subprocess.run([tool, *args[1:]], capture_output=True, text=True, encoding="utf-8",
                              errors="replace", timeout=60, check=False, env=env)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return done.stdout


def _families(lines: str) -> list[list[str]]:
    """fc-list's `%{family}` lines: every name a face goes by (English and Chinese)."""
    return [[name.strip().replace("\\-", "-") for name in line.split(",") if name.strip()]
            for line in lines.splitlines() if line.strip()]


def _has_fontconfig() -> bool:
    return find_program("fc-list") is not None and find_program("fc-match") is not None


def _pick(official: Official, chinese: list[list[str]]) -> tuple[str | None, bool]:
    """The best installed Simplified-Chinese family for this font and whether it is the same design."""
    names = {name.casefold(): group[0] for group in chinese for name in group}
    for name in official.same:
        if name.casefold() in names:
            return names[name.casefold()], True
    ours = [group for group in chinese if not any(FOREIGN.search(n) for n in group)]

    def named(pattern: str) -> str | None:
        return next((g[0] for g in ours if any(re.search(pattern, n, re.IGNORECASE) for n in g)), None)

    if official.style and (face := named(official.style)):
        return face, False
    for name in official.stand_ins:
        if name.casefold() in names:
            return names[name.casefold()], False
    return named(official.kin), False


def _config(choices: list[Choice], system: Path | None) -> str:
    rules = []
    for choice in choices:
        if choice.installed or choice.face is None:
            continue
        weight = ""
        if choice.official.bold and not choice.same_design:
            weight = '\n    <edit name="weight" mode="assign" binding="strong"><const>bold</const></edit>'
        rules.append(f"""  <match target="pattern">
    <test name="family"><string>{escape(choice.official.name)}</string></test>
    <edit name="family" mode="append" binding="strong"><string>{escape(choice.face)}</string></edit>{weight}
  </match>""")
    include = f'  <include ignore_missing="yes">{escape(str(system))}</include>\n' if system else ""
    return ("<?xml version=\"1.0\"?>\n<!DOCTYPE fontconfig SYSTEM \"urn:fontconfig:fonts.dtd\">\n"
            "<!-- written by proposal-docs: official fonts that are not installed, printed in the closest "
            "installed Simplified-Chinese face -->\n<fontconfig>\n" + include + "\n".join(rules) + "\n</fontconfig>\n")


def _system_config() -> Path | None:
    given = os.environ.get("FONTCONFIG_FILE")
    if given:
        path = Path(given)
        if not path.is_absolute():
            path = Path(os.environ.get("FONTCONFIG_PATH", "/etc/fonts")) / path
        return path
    return SYSTEM_CONFIG if SYSTEM_CONFIG.is_file() else None


def plan_fonts(*, resolve: bool = False, workdir: Path | None = None) -> FontPlan:
    """What prints each official font. resolve: also ask fc-match what the mapping yields (needs
    workdir, where the fontconfig file is written)."""
    if not _has_fontconfig():
        return FontPlan([Choice(o, installed=False, face=None) for o in OFFICIAL])
    chinese = _families(_fc("fc-list", ":lang=zh-cn", "--format", "%{family}\n"))
    everything = _families(_fc("fc-list", "--format", "%{family}\n"))
    chinese_names = {n.casefold() for group in chinese for n in group}
    choices = []
    for official in OFFICIAL:
        if official.name.casefold() in chinese_names:
            choices.append(Choice(official, installed=True, face=official.name, same_design=True))
            continue
        face, same = _pick(official, chinese)
        choices.append(Choice(official, installed=False, face=face, same_design=same))
    unusable = sorted({group[0] for group in everything
                       if not any(n.casefold() in chinese_names for n in group)
                       and any(re.search(o.style, n, re.I) for o in OFFICIAL if o.style for n in group)})
    plan = FontPlan(choices, unusable, _config(choices, _system_config()))
    if resolve and workdir is not None:
        conf = write_config(plan, workdir)
        env = dict(os.environ, FONTCONFIG_FILE=str(conf))
        resolved = []
        for choice in plan.choices:
            answer = _fc("fc-match", f"{choice.official.name}:lang=zh-cn", "--format", "%{family[0]} %{style[0]}",
                         env=env).strip()
            resolved.append(Choice(choice.official, choice.installed, choice.face, choice.same_design, answer))
        plan.choices = resolved
    return plan


def write_config(plan: FontPlan, workdir: Path) -> Path:
    path = workdir / "fonts.conf"
    path.write_text(plan.config or "", encoding="utf-8")
    return path


def office_environment(plan: FontPlan, workdir: Path) -> dict[str, str]:
    """The environment LibreOffice runs in: the system's, with the font mapping when there is one."""
    env = dict(os.environ)
    if plan.config is not None:
        env["FONTCONFIG_FILE"] = str(write_config(plan, workdir))
    return env


WINDOWS_FILES = {  # the usual file names of the official fonts and their Windows relatives
    "方正小标宋简体": ("FZXBSJW", "方正小标宋"),
    "仿宋_GB2312": ("仿宋_GB2312", "FS_GB2312", "FangSong_GB2312", "SIMFANG"),
    "楷体_GB2312": ("楷体_GB2312", "KT_GB2312", "KaiTi_GB2312", "SIMKAI"),
    "黑体": ("SIMHEI",),
    "宋体": ("SIMSUN",),
}


def _windows_font_files() -> list[str]:
    folders = [Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"]
    if os.environ.get("LOCALAPPDATA"):
        folders.append(Path(os.environ["LOCALAPPDATA"]) / "Microsoft" / "Windows" / "Fonts")
    files = []
    for folder in folders:
        try:
            files += [p.name for p in folder.iterdir()]
        except OSError:
            pass
    return files


def report() -> str:
    """What a clerk reads from `proposal-docs fonts`: each official font, there or what stands in."""
    lines = ["公文字体（GB/T 9704）及打印 PDF 时实际使用的字体：", ""]
    if not _has_fontconfig():
        if os.name == "nt":
            files = _windows_font_files()
            for official in OFFICIAL:
                found = [f for f in files if any(key.casefold() in f.casefold() for key in WINDOWS_FILES[official.name])]
                state = "已安装（" + "、".join(sorted(found)) + "）" if found else "未安装"
                lines.append(f"  {official.name}：{state}")
            lines += ["", "未安装的字体在 Word 和 LibreOffice 中会由其他字体代替，打印效果与正式公文不同；"
                          "请向单位信息化部门索取正版公文字体并安装。"]
        else:
            lines += [f"  {official.name}：无法判断是否已安装" for official in OFFICIAL]
            lines += ["", "未找到 fontconfig（fc-list、fc-match），无法判断已安装的字体；"
                          "PDF 由 LibreOffice 按其默认规则选用字体。Linux 上请安装 fontconfig。"]
        return "\n".join(lines) + "\n"
    import tempfile

    with tempfile.TemporaryDirectory(prefix="proposal-docs-fonts-") as work:
        plan = plan_fonts(resolve=True, workdir=Path(work))
    missing = []
    for choice in plan.choices:
        name = choice.official.name
        printed = f"（实际：{choice.printed_as}）" if choice.printed_as else ""
        if choice.installed:
            lines.append(f"  {name}：已安装{printed}")
            continue
        missing.append(name)
        if choice.face is None:
            lines.append(f"  {name}：未安装，也没有可代替的简体中文{choice.official.kind}字体，将由系统默认字体代替{printed}")
        elif choice.same_design:
            lines.append(f"  {name}：未安装，用同一字体的另一名称“{choice.face}”代替{printed}")
        else:
            bold = "（加粗）" if choice.official.bold else ""
            lines.append(f"  {name}：未安装，用“{choice.face}”{bold}代替{printed}")
    lines.append("")
    for face in plan.unusable:
        lines.append(f"注意：已安装的“{face}”是繁体中文字体，缺少简体字形（如“议”“协”“号”），不用于打印。")
    if missing:
        lines.append(f"缺少 {len(missing)} 种公文字体：{'、'.join(missing)}。代替字体只供校对和内部传阅；"
                     "正式印发前请安装正版公文字体（可向单位信息化部门索取），或在 Word/WPS 中打印。")
        lines.append("Debian/Ubuntu 可先安装免费字体：sudo apt-get install fonts-noto-cjk fonts-arphic-gkai00mp "
                     "fonts-arphic-gbsn00lp fonts-wqy-zenhei")
    else:
        lines.append("公文字体均已安装。")
    return "\n".join(lines) + "\n"
