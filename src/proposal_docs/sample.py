"""A synthetic document repository of any size, for the benchmark and the crash tests.

It starts from the example repository (project file, templates, year file) and adds ``count``
generated, valid cases: a deterministic mix of lead, co and separate cases, replied and open,
in one year (2024) or spread evenly over several years ending with 2024.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
from pathlib import Path

import yaml

SURNAMES = "王李张刘陈杨黄赵周吴徐孙马胡朱郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红立新海燕"
TOPICS = ["民营经济", "中小企业融资", "工业园区", "数字化转型", "技能人才", "招商引资", "科技创新",
          "产业集群", "营商环境", "绿色制造", "专精特新", "闲置厂房", "电力保障", "品牌建设"]
BODY_UNITS = ["市财政局", "市市场监管局", "市自然资源和规划局", "市人社局", "市发展改革委"]


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))


def _case(rng: random.Random, number: int, session: str, kind: str, year: int = 2024) -> dict:
    assigned = dt.date(year, 3, 20)
    role = rng.choices(["lead", "co", "separate"], weights=[5, 4, 1])[0]
    topic = rng.choice(TOPICS)
    case: dict = {
        "kind": kind, "session": session, "number": number,
        "title": f"关于加快{topic}发展的建议(第{number}件)",
        "proposers": [_name(rng) for _ in range(rng.choice([1, 1, 1, 2, 3]))],
        "role": role, "assigned": assigned,
        "handler": {"unit": "产业发展科", "name": _name(rng), "phone": "0556-5551201"},
    }
    if role == "co":
        case["lead_unit"] = rng.choice(BODY_UNITS)
    elif role == "lead":
        case["co_units"] = rng.sample(BODY_UNITS, rng.randint(0, 2))
    case["communications"] = [{"date": assigned + dt.timedelta(days=rng.randint(3, 18)),
                               "mode": rng.choice(["visit", "invite", "phone"]), "with": case["proposers"][0]}]
    if rng.random() < 0.9:
        paragraphs = [f"一、关于{topic}", f"今年以来,我局围绕{topic}开展了专题调研,走访企业{rng.randint(5, 80)}家。",
                      "(一)工作措施", "1.完善政策体系,加大资金扶持力度。", "2.优化服务流程,压缩办理时限。",
                      f"二、下一步工作", "我局将继续认真研究办理,及时向您通报进展。"]
        case["reply"] = {
            "date": assigned + dt.timedelta(days=rng.randint(20, 25) if role == "co" else rng.randint(40, 85)),
            "body": "\n\n".join(paragraphs),
        }
        if role != "co":
            case["reply"].update(category=rng.choice("ABC"), disclosure="public", signer="王五")
            if rng.random() < 0.7:
                case["feedback"] = {"date": case["reply"]["date"] + dt.timedelta(days=10),
                                    "attitude": "satisfied", "result": rng.choice(["satisfied", "basically_satisfied"])}
    return case


def generate(target: Path, count: int, example: Path, seed: int = 2024, first: int = 1, years: int = 1) -> Path:
    """Copy the example's project, templates and year file to target and add ``count`` cases,
    numbered from ``first`` (so they can sit beside the example's own cases). With years > 1 the
    cases are spread over that many years ending with 2024, each with its own year file."""
    rng = random.Random(seed)
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(example / "proposal-docs.yaml", target / "proposal-docs.yaml")
    if (example / "templates").is_dir():  # a repository's own templates; without them the packaged ones
        shutil.copytree(example / "templates", target / "templates", dirs_exist_ok=True)
    year_text = (example / "cases" / "2024" / "year.yaml").read_text(encoding="utf-8")
    numbers = list(range(first, first + count))
    for index, year in enumerate(range(2024 - years + 1, 2025)):
        year_dir = target / "cases" / str(year)
        year_dir.mkdir(parents=True, exist_ok=True)
        # the same sessions and summary, dated in this year
        (year_dir / "year.yaml").write_text(year_text.replace("2024", str(year)), encoding="utf-8")
        for i in numbers[index * count // years:(index + 1) * count // years]:
            kind, session = ("suggestion", "npc-17-4") if i % 4 == 0 else ("proposal", "cppcc-13-4")
            case = _case(rng, i, session, kind, year)
            text = yaml.safe_dump(case, allow_unicode=True, sort_keys=False, width=1000)
            (year_dir / f"c{i:05d}.yaml").write_text(text, encoding="utf-8")
    return target
