"""The one typed document model: Bulletin, Issue, Article, Distribution.

Plain data: a test can build an Issue in three lines and render it. The pydantic
classes double as the schema of `bulletin.yaml`, `issue.yaml` and front matter.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Schema(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DistributionLine(Schema):
    """One line of the 报尾: `送：…` or `发：…`."""

    model_config = ConfigDict(json_schema_extra={"description": "报尾的一行，如“送：……”"})
    label: Text = Field(description="行首标签，如“送”“发”")
    recipients: Text = Field(description="分送单位")


class Publisher(Schema):
    model_config = ConfigDict(json_schema_extra={"description": "编印单位"})

    name: Text = Field(description="编印单位全称")
    masthead_lines: list[Text] | None = Field(
        default=None, description="报头左侧编印单位的分行写法；缺省为一行全称")

    @property
    def lines(self) -> list[str]:
        return list(self.masthead_lines or [self.name])


# Where the 报尾 goes (GB/T 9704 版记). "last-page": at the foot of the last page; when it
# does not fit there, on a page of its own, unnumbered. "even-page": the issue ends on an
# even page (封四): the 报尾 at the foot of the last page if that page is even, else on
# the next even page, a blank page inserted when needed; blank and 报尾 pages unnumbered.
DistributionPlacement = Literal["last-page", "even-page"]
PLACEMENT_DESCRIPTION = ("报尾位置：last-page 排在末页下端，排不下时另起一页（不编页码）；"
                         "even-page 末页为偶数页（封四），需要时插入空白页，空白页与报尾页不编页码")


# A code of the editorial rules, or the start of some (`B21`: B210–B219), as in
# `lint:` settings, the paragraph marker and `check --select/--ignore`.
CodePattern = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^B2[0-9]{0,2}$")]
Reason = Annotated[str, StringConstraints(strip_whitespace=True)]


class LintSettings(Schema):
    """`lint:` in bulletin.yaml: the editorial rules for the whole series."""

    model_config = ConfigDict(json_schema_extra={
        "description": "编辑检查（B2xx）的系列设置：忽略哪些检查、改变哪些检查的级别"})
    ignore: list[CodePattern] = Field(
        default_factory=list, description="全系列不做的检查，如 B213；写 B21 即 B210–B219")
    severity: dict[CodePattern, Literal["error", "warning"]] = Field(
        default_factory=dict, description="改变检查的级别，如 B254: error（错误会阻止排版）")


class ArticleLint(Schema):
    """`lint:` in an article's front matter."""

    model_config = ConfigDict(json_schema_extra={
        "description": "本篇稿件不做的编辑检查"})
    ignore: list[CodePattern] | dict[CodePattern, Reason] = Field(
        description="本篇不做的检查：代码列表，或“代码: 理由”")

    @property
    def reasons(self) -> dict[str, str]:
        if isinstance(self.ignore, dict):
            return dict(self.ignore)
        return dict.fromkeys(self.ignore, "")


Percent = Annotated[float, Field(ge=0, le=100)]


class PrintSettings(Schema):
    """`print:` in bulletin.yaml: the print shop's file (`bulletin build N --for-print`)
    and the 印发 line."""

    model_config = ConfigDict(json_schema_extra={
        "description": "印刷版（--for-print）的颜色与裁切，以及印发行"})
    red: Annotated[list[Percent], Field(min_length=4, max_length=4)] = Field(
        default_factory=lambda: [0, 80, 80, 0],
        description="报头红色的 CMYK 值（百分数 C、M、Y、K），缺省 [0, 80, 80, 0]")
    spot: Text | None = Field(default=None, description="红色的专色名称（可省略），如 PANTONE 485 C")
    bleed_mm: Annotated[float, Field(ge=0, le=10)] = Field(
        default=3, description="出血（毫米），印刷版的 BleedBox 比成品尺寸每边大出此数")
    printed_date: bool = Field(
        default=False, description="印发行是否带印发日期（缺省为出刊日期，issue.yaml 的 printed_on 可另给）")


class Bulletin(Schema):
    """Series settings from `bulletin.yaml`."""

    name: Text = Field(description="简报名称，如“代表工作”")
    slug: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$")] = Field(
        default="bulletin", description="PDF 文件名所用的英文代号，如 daibiao-gongzuo")
    publisher: Publisher
    distribution: list[DistributionLine] = Field(description="默认报尾分送行")
    printed_by: Text = Field(description="印发行，如“……印发”")
    distribution_placement: DistributionPlacement = Field(
        default="last-page", description=PLACEMENT_DESCRIPTION)
    lint: LintSettings = Field(default_factory=LintSettings,
                               description="编辑检查的系列设置（忽略、级别）")
    print: PrintSettings = Field(default_factory=PrintSettings,
                                 description="印刷版的颜色、出血与印发行")


class IssueSource(Schema):
    """`issues/<N>/issue.yaml`."""

    number: int = Field(ge=1, description="期号")
    date: dt.date = Field(description="出刊日期，ISO 格式 YYYY-MM-DD")
    articles: list[Text] = Field(min_length=1, description="按刊登顺序排列的稿件文件名")
    supplement: bool = Field(default=False, description="是否为增刊")
    distribution: list[DistributionLine] | None = Field(
        default=None, description="替换默认报尾分送行")
    extra_distribution: list[DistributionLine] = Field(
        default_factory=list, description="在默认报尾之后追加的分送行")
    distribution_placement: DistributionPlacement | None = Field(
        default=None, description=PLACEMENT_DESCRIPTION + "；缺省按 bulletin.yaml")
    printed_on: dt.date | None = Field(
        default=None, description="印发日期，印在印发行（如“2025年6月9日印发”）；缺省不印，"
                                  "或按 bulletin.yaml 的 print.printed_date 印出刊日期")
    copies: int | None = Field(default=None, ge=1, le=10_000_000,
                               description="印数，印在印发行之下：“（共印200份）”（可省略）")

    @field_validator("articles")
    @classmethod
    def _markdown_files(cls, names: list[str]) -> list[str]:
        for name in names:
            if "/" in name or "\\" in name or not name.endswith(".md"):
                raise ValueError(f"稿件应为 articles/ 下的 .md 文件名：{name}")
        return names


class ArticleSource(Schema):
    """An article's YAML front matter."""

    title: Text | Annotated[list[Text], Field(min_length=1)] = Field(
        description="标题；写成列表时每项为标题的一行（按此处分行）")
    credit: Text = Field(description="供稿单位，模板自动加“（…供稿）”")
    subtitle: Text | None = Field(
        default=None, description="副标题，排在标题下另起一行，前加破折号“——”（可省略不写）")
    lint: ArticleLint | None = Field(
        default=None, description="本篇不做的编辑检查，如 {ignore: {B213: 人名中的数字}}")

    @property
    def title_lines(self) -> list[str]:
        return [self.title] if isinstance(self.title, str) else list(self.title)


class Article(BaseModel):
    model_config = ConfigDict(frozen=True)

    slug: str
    title_lines: list[str]
    credit: str
    body: str  # Markdown
    subtitle: str | None = None  # without its leading ——
    path: Path | None = None
    body_line: int = 1  # line of the body's first line in `path`
    lint_ignore: dict[str, str] = Field(default_factory=dict)  # code (or start) → reason

    @property
    def title(self) -> str:
        return "".join(self.title_lines)


class Issue(BaseModel):
    model_config = ConfigDict(frozen=True)

    bulletin: Bulletin
    number: int
    date: dt.date
    articles: list[Article]
    distribution: list[DistributionLine]
    supplement: bool = False
    distribution_placement: DistributionPlacement = "last-page"
    folder: Path | None = None
    printed_on: dt.date | None = None  # the 印发 date, when the 印发 line carries one
    copies: int | None = None  # （共印 N 份）

    @property
    def date_text(self) -> str:
        return f"{self.date.year} 年 {self.date.month} 月 {self.date.day} 日"

    @property
    def title(self) -> str:
        if self.supplement:
            return f"{self.bulletin.name} {self.date.year}年增刊"
        return f"{self.bulletin.name} {self.date.year}年第{self.number}期"


# `bulletin schema` writes these; the YAML files point YAML language servers at them.
SCHEMA_FILES: dict[str, tuple[type[Schema], str, str]] = {
    "bulletin.schema.json": (Bulletin, "简报系列设置 bulletin.yaml", "每期共用的报头与报尾"),
    "issue.schema.json": (IssueSource, "一期的设置 issues/<N>/issue.yaml", "期号、日期与稿件顺序"),
    "article.schema.json": (ArticleSource, "稿件头信息", "稿件 .md 文件开头 --- 之间的 YAML"),
}


def json_schema_text(entry: tuple[type[Schema], str, str]) -> str:
    import json

    model, title, description = entry
    schema = {"$schema": "http://json-schema.org/draft-07/schema#",
              **model.model_json_schema(), "title": title, "description": description}
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
