"""The one registry of diagnostic codes, and the exit codes.

Every diagnostic any command prints carries a code from here: S1xx the files
themselves (YAML, fields, encoding, missing files, images), B2xx the editorial rules
(registered by `lint.rules.rule`, one module per family), L3xx the preflight of the
laid-out pages, I4xx what `bulletin import` could not carry over. The README's tables
list them all; a test holds the two equal.
"""

from __future__ import annotations

from dataclasses import dataclass

from .diagnostics import Severity

# Exit codes of every command.
EXIT_OK = 0  # done, nothing wrong
EXIT_PROBLEMS = 1  # problems in the content (or, for import, something to fix by hand)
EXIT_ERROR = 2  # bad usage, or a bug in bulletin

ERROR, WARNING = Severity.ERROR, Severity.WARNING


@dataclass(frozen=True)
class Code:
    code: str
    severity: Severity
    summary: str  # what it means, in one Chinese line (as in the README)


CODES: dict[str, Code] = {}


def register(code: str, severity: Severity, summary: str) -> Code:
    if code in CODES:
        raise ValueError(f"diagnostic code {code} registered twice")
    CODES[code] = Code(code, severity, summary)
    return CODES[code]


def severity_of(code: str) -> Severity:
    return CODES[code].severity


for _code, _summary in (
    ("S101", "缺少必填字段"),
    ("S102", "未知字段（给出最接近的字段名）"),
    ("S103", "字段的取值类型或格式不对"),
    ("S104", "issue.yaml 列出的稿件文件不存在"),
    ("S105", "期号与文件夹名不一致，或与另一期重复"),
    ("S106", "同一稿件在 articles 中重复列出"),
    ("S107", "文件不是 UTF-8 编码（给出转换命令）"),
    ("S108", "YAML 格式错误"),
    ("S109", "应为普通文件：不存在、是文件夹、管道或设备，或无法读取"),
    ("S110", "找不到该期的文件夹"),
    ("S111", "稿件开头缺少 YAML 头信息"),
    ("S112", "YAML 字段重复"),
    ("S113", "文件或整期稿件超过大小上限"),
    ("S114", "指向项目以外的链接，不予读取"),
    ("S115", "YAML 过于复杂（嵌套过深或别名展开过多）"),
    ("S120", "图片不可用：网址、绝对路径、本期文件夹外、格式或尺寸不符、文件损坏"),
    ("S121", "排版时拒绝加载项目以外的资源"),
    ("S122", "内容嵌套过深，无法排版"),
    ("S130", "输出路径不能写：不是普通文件（文件夹、设备、管道、符号链接），或是已有的、并非 bulletin "
             "写出的文件（--force 才覆盖）"),
    ("S131", "无法写出输出文件：磁盘已满、只读文件系统、没有写入权限、文件名过长等"),
):
    register(_code, ERROR, _summary)
del _code, _summary

register("S118", WARNING, "lint 设置或检查标记不起作用：没有这个检查代码、标记写法不对、标记之后没有段落")


# I4xx: what `bulletin import` could not carry over faithfully into the Markdown it wrote
# (bulletin/importers/; common.py names each code by its kind). An error where the
# written article is wrong until it is fixed by hand; a warning where it is to be checked.
for _code, _severity, _summary in (
    ("I401", WARNING, "文字未导入（原文列在消息中）：脚注、尾注、文本框、页眉页脚、注音、标题下的署名、供稿行后的日期和署名"),
    ("I402", WARNING, "Word 中本不打印的内容未导入：批注、隐藏文字"),
    ("I403", WARNING, "图表、SmartArt、嵌入对象、嵌入的文档片段、线条和形状未导入"),
    ("I404", WARNING, "图片未导入：链接到外部文件，或图片数据缺失"),
    ("I405", ERROR, "正文中留下缺口：公式（留有“【公式】”标记）、符号字体中的特殊符号"),
    ("I406", ERROR, "图片已复制，但排版时会被拒绝：格式、尺寸不符或文件损坏"),
    ("I407", WARNING, "表格已改动：合并单元格拆开、内嵌表格并入、多段合并、单格表格转为段落、图片移到表后"),
    ("I408", WARNING, "格式未保留，按普通文字导入：对齐方式、字号、上标下标、多级项目符号、无法识别的编号格式或内容"),
    ("I409", WARNING, "文档含未处理的修订，已按“接受全部修订”导入"),
    ("I410", WARNING, "原文中有文字可能未导入（逐一列出）"),
    ("I411", ERROR, "未找到标题：title 为空"),
    ("I412", ERROR, "未找到供稿单位：credit 为空"),
    ("I413", WARNING, "标题待核对：标题之前的段落留在正文开头，或纯文本的第一行过长"),
    ("I414", WARNING, "--add 未能把稿件加入 issue.yaml 的 articles 列表"),
    ("I415", WARNING, "图片没有图注：其下没有“图为……”段，alt 文字为空"),
):
    register(_code, _severity, _summary)
del _code, _severity, _summary
