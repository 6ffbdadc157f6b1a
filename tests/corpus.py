"""A corpus of generated issues, written as city and county congress offices send them.

`synthetic.py` makes one kind of issue; this module makes many. Each issue is drawn
from `random.Random(seed)` alone (no hash ordering, no clock), so a (seed, kind) pair
gives the same files on every run and every machine. What varies:

- 1 to 12 articles (most 4 to 8); titles of 8 to 60 characters, with and without the
  author's break spaces, some given as YAML lists of lines, with “quotes”, `：`, digits
  (`2025年`) and Latin (`AI`, `5G`); some with a `subtitle:`; credits of many lengths;
- paragraphs of 1 to 12 printed lines, built from phrase banks in the style of 人大代表
  工作 reports, with run-in headings `一、…。` and `（一）…。` (in order, `（一）` only under
  a `一、`), digits, percentages, dates (`2025年1—5月`), web addresses, Latin words,
  “quotes” and 《book titles》, `——` and `……`; some articles put spaces between Han
  characters and digits (`2025 年`), consistently, as some offices type;
- a 增刊, extra 报尾 lines (抄, 抄送, long lists of recipients), `distribution_placement:
  even-page`, a replaced 报尾, a one-page issue, a forty-page issue, issues whose last page
  is full;
- rich content, written to the conventions of the README (issue 12), in most kinds of
  issue and throughout the kinds "rich" and "photos": photos (PNG drawn with PIL beside
  the article, of varied pixel sizes: landscape, wide, medium, portrait, small; each of
  an issue a size of its own) with captions from the image's title, its alt text or a
  `图为…` paragraph after it, or none; pipe tables of 3 to 14 rows, with and without a
  `表N …` title, with numeric columns (`1,234`, `98.5%`, `-3.2`), some long enough to
  cross a page; `-`/`*`/`+` bullet lists whose items run over one to three lines;
  sub-points `1.` (`1．`, `1. `), `（1）`, `①` under `一、`/`（一）`, numbered from 1 again
  under each heading; `1.5亿元` opening a paragraph; a `注：` note before the credit.
  Rich content is drawn from a random stream of its own (`Writer.rich_rng`): the text of
  an issue without it (one-page, full-last-page) is what it was before rich content.

`CORPUS` lists the fixed entries the corpus test builds; `make_corpus_issue` writes one.
Every entry passes `bulletin check` with no error. `read_sources` reads an issue back
by the conventions (`Block`), without the tool's code.
"""

from __future__ import annotations

import json
import random
import re
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import make_project  # noqa: E402,F401  (re-exported for render_corpus.py)

LINE_CELLS = 28  # full-width characters on a body line
FIRST_LINE_CELLS = 26  # on a paragraph's indented first line
HEADING_NUMERALS = "一二三四五六七八九十"
HOMEPAGE = "https://www.henanrd.gov.cn"

# --- places and units ------------------------------------------------------------------

CITIES = {
    "郑州市": ["中牟县", "新郑市", "登封市", "巩义市", "荥阳市", "金水区", "二七区", "惠济区"],
    "开封市": ["龙亭区", "兰考县", "杞县", "尉氏县", "通许县", "祥符区"],
    "洛阳市": ["栾川县", "嵩县", "偃师区", "孟津区", "宜阳县", "汝阳县", "洛宁县"],
    "平顶山市": ["郏县", "宝丰县", "叶县", "鲁山县", "舞钢市", "汝州市"],
    "安阳市": ["林州市", "滑县", "内黄县", "汤阴县", "安阳县"],
    "鹤壁市": ["淇县", "浚县", "山城区", "淇滨区", "鹤山区"],
    "新乡市": ["长垣市", "辉县市", "获嘉县", "原阳县", "延津县", "封丘县"],
    "焦作市": ["修武县", "博爱县", "温县", "沁阳市", "孟州市", "武陟县"],
    "濮阳市": ["清丰县", "南乐县", "范县", "台前县", "濮阳县"],
    "许昌市": ["禹州市", "长葛市", "鄢陵县", "襄城县", "建安区"],
    "漯河市": ["舞阳县", "临颍县", "郾城区", "源汇区", "召陵区"],
    "三门峡市": ["灵宝市", "卢氏县", "渑池县", "义马市", "陕州区"],
    "南阳市": ["西峡县", "内乡县", "镇平县", "淅川县", "邓州市", "方城县", "社旗县"],
    "商丘市": ["永城市", "夏邑县", "虞城县", "柘城县", "宁陵县", "民权县"],
    "信阳市": ["光山县", "新县", "固始县", "潢川县", "商城县", "罗山县", "息县"],
    "周口市": ["项城市", "鹿邑县", "太康县", "西华县", "淮阳区", "沈丘县", "郸城县"],
    "驻马店市": ["确山县", "泌阳县", "遂平县", "西平县", "汝南县", "平舆县", "新蔡县"],
}
CITY_NAMES = list(CITIES)
TOWNS = ["城关镇", "朝阳街道", "新华街道", "龙泉镇", "石佛寺镇", "米坪镇", "太平镇", "黄河街道",
         "双桥镇", "人和乡", "白沙镇", "红旗街道", "东风路街道", "青龙镇", "金山乡", "柳林镇"]
VILLAGES = ["李庄村", "王楼村", "张湾村", "后河村", "东关社区", "四季城社区", "杨树岭村",
            "南街社区", "桃园村", "马庄村", "清河社区", "小刘庄村"]
SURNAMES = ("王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋"
            "余于杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛"
            "闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
GIVEN = ["建国", "秀英", "立新", "明", "晓燕", "志强", "红梅", "振华", "海涛", "丽娟", "国庆",
         "文杰", "玉兰", "永刚", "春生", "桂芳", "德胜", "小军", "雪梅", "新民", "长青", "保安"]
ROLES = ["县人大代表", "市人大代表", "省人大代表", "乡镇人大代表", "全国人大代表", "村党支部书记",
         "社区党委书记", "企业负责人", "种粮大户", "退休教师", "乡村医生", "返乡创业青年"]
FOLKS = ["村民", "社区居民", "群众", "个体工商户", "外卖骑手", "货车司机", "家长", "老党员"]

CREDIT_FORMS = [
    "{county}人大", "{county}人大常委会", "{city}人大常委会代表工委",
    "{city}人大常委会代表工作委员会", "{city}{county}人大常委会", "{county}人大常委会办公室",
    "{county}人大常委会代表工委", "{city}人大常委会研究室", "{county}人大常委会代表联络服务中心",
    "{city}人大常委会办公室信息科", "{county}{town}人大", "{county}{town}人大主席团",
    "省人大常委会代表工委联络处", "{city}人大常委会代表工委、{county}人大常委会",
    "{county}人大常委会代表工委调研组",
]

# --- words of the reports ----------------------------------------------------------------

SUBJECTS = [
    "县人大常委会", "常委会党组", "各级人大代表", "市人大代表", "代表联络站", "乡镇人大主席团",
    "街道人大工委", "常委会代表工委", "各专门委员会", "常委会组成人员", "基层立法联系点",
    "驻站代表", "行业代表小组", "全体代表", "省市县乡四级人大代表", "常委会机关", "各乡镇人大",
    "代表履职服务中心", "议政代表", "代表工作站", "常委会主任会议", "各代表小组", "人大代表们",
    "常委会各工作机构", "代表中心组", "青年代表", "基层一线代表", "专业型代表",
]
TIMES = [
    "今年以来", "近年来", "2025年1—5月", "自主题活动开展以来", "截至目前", "去年以来", "4月初",
    "5月中旬", "第一季度", "年初以来", "2024年以来", "截至6月底", "今年上半年", "本届以来",
    "2025年春节前后", "3月下旬", "“七一”前夕", "汛期来临前", "秋收期间", "2023年至今",
]
TOPICS = [
    "高标准农田建设", "乡村振兴", "营商环境优化", "养老助餐服务", "生态环境保护", "校园周边安全",
    "城乡供水一体化", "老旧小区改造", "基层医疗卫生服务", "义务教育均衡发展", "稳就业促创业",
    "文旅融合发展", "黄河流域生态保护", "粮食安全", "食品药品安全", "基层社会治理",
    "农村人居环境整治", "道路交通安全", "非物质文化遗产保护", "中小企业发展", "特色产业发展",
    "数字乡村建设", "预算审查监督", "国有资产管理", "防汛抗旱", "矛盾纠纷化解", "法治政府建设",
    "民营经济发展", "中药材产业", "文明城市创建", "农村公路建设", "集体经济发展", "托育服务",
    "新能源汽车产业", "冷链物流", "小麦“一喷三防”", "秸秆综合利用", "历史文化名城保护",
    "城市更新", "背街小巷治理", "“一老一小”服务", "社区嵌入式服务设施建设",
]
ACTIVITIES = ["专题调研", "集中视察", "执法检查", "座谈讨论", "政策宣讲", "进站接待", "暗访督查",
              "满意度测评", "专题询问", "“回头看”", "联组审议", "问政活动", "走访选民",
              "述职评议", "跟踪督办", "现场观摩"]
ACTIONS = [
    "深入基层开展调研", "围绕中心工作建言献策", "持续跟踪督办代表建议", "组织开展专题视察",
    "积极推动民生实事落地", "认真听取群众意见", "建立健全工作机制", "扎实推进履职能力提升",
    "广泛收集社情民意", "着力解决群众急难愁盼问题", "主动对接县直部门", "定期进站接待选民",
    "分组开展集中视察", "逐项梳理问题清单", "推动问题整改到位", "加强与基层代表的联系",
    "完善代表建议办理机制", "全程参与项目监督", "及时回应群众关切", "深入田间地头察看墒情",
    "走进企业车间了解生产经营情况", "召开座谈会听取意见", "邀请代表列席常委会会议",
    "开展“两进两问”活动", "把代表履职情况纳入年度考评", "建立代表履职档案",
    "推动建议办理由“办结”向“办好”转变", "组织代表参加履职学习培训", "搭建代表履职平台",
    "拓宽代表知情知政渠道", "实行“一月一主题”活动安排", "用好代表之家和代表联络站",
    "推行“群众点单、代表领单、部门接单”模式", "做实代表联系群众“最后一公里”",
    "开展“代表接待日”活动", "依法开展专项工作评议", "把监督寓于支持之中", "压紧压实工作责任",
    "以钉钉子精神抓好落实", "推动形成工作合力", "认真落实常委会审议意见",
    "深入开展“我为群众办实事”实践活动", "积极参与基层矛盾纠纷排查化解",
]
RESULTS = [
    "推动主题活动提质增效", "让群众的获得感成色更足", "切实将代表专业优势转化为监督优势",
    "为高质量发展贡献人大力量", "推动一批难点问题得到解决", "取得了良好的社会效果",
    "形成了可复制可推广的经验", "赢得了群众的广泛赞誉", "有力助推了经济社会发展",
    "实现了代表履职与群众需求的精准对接", "进一步密切了代表同人民群众的联系",
    "推动人大工作融入中心、服务大局", "使代表工作更接地气、更有温度",
    "把全过程人民民主落到实处", "让人民群众看得见、摸得着、感受得到",
]
QUOTES = [
    "“一府一委两院”", "“代表之家”", "“小切口、大民生”", "“家门口的代表站”", "“我为群众办实事”",
    "“三联三促”", "“票决制”", "“回头看”", "“四抓四促”", "“两进两问”", "“双联系”", "“码上办”",
    "“接诉即办”", "“有事好商量”", "“五个一”", "“代表+网格”", "“高效办成一件事”", "“微心愿”",
    "“一站一品”", "“群众点单、代表领单”", "“最多跑一次”", "“枫桥经验”", "“百千万”工程",
    "“AI+政务”", "“5G+智慧农业”", "“为民履职·我当先锋”", "“人大代表在行动”", "“好事商量屋”",
    "“信息员”", "“服务员”", "“宣传员”", "“监督员”", "“民生实事项目票决制”", "“一线工作法”",
]
BOOKS = [
    "《代表法》", "《监督法》", "《中华人民共和国全国人民代表大会和地方各级人民代表大会代表法》",
    "《河南省各级人民代表大会常务委员会监督条例》", "《人大视窗》", "《代表工作》",
    "《关于加强和改进新时代代表工作的意见》", "《代表法解读与适用》", "《政府工作报告》",
    "《民生实事项目人大代表票决制实施办法》", "《代表履职量化考评办法》", "《黄河保护法》",
    "《关于深化提升代表主题活动的实施方案》", "《河南省乡村振兴促进条例》", "《人民代表报》",
    "《河南日报》", "《人民之友》", "《代表建议办理工作办法》", "《优化营商环境条例》",
]
PLATFORMS = [
    "“河南人大”App", "代表履职服务平台", "微信公众号", f"门户网站（{HOMEPAGE}）", "12345政务服务便民热线",
    "“5G+VR”云视察系统", "AI智能分析平台", "代表履职App", "线上代表联络站", "H5问卷",
    "“人大代表随手拍”小程序", "政务服务网（www.hnzwfw.gov.cn）",
]
MECHANISMS = [
    "分片包联机制", "履职考评机制", "闭环处理机制", "督导考评机制", "建议交办机制", "联系群众机制",
    "学习培训机制", "信息报送机制", "典型选树机制", "跟踪问效机制", "述职评议机制", "经费保障机制",
]
MECHANISM_WHO = ["常委会班子成员", "各委室", "代表工委", "各乡镇人大", "县直各部门", "各代表小组",
                 "常委会机关各支部", "各街道人大工委"]
MECHANISM_HOW = [
    "分片指导乡镇、街道人大工作", "对代表开展主题活动情况进行量化评价计分",
    "按照“研处→办理→反馈→评价”闭环程序办理建议", "通过召开座谈会、现场会等形式加强督导",
    "为每位代表制作一本履职手册", "每季度通报一次代表建议办理进度",
    "每年组织代表参加不少于2次集中培训", "对群众反映强烈的问题实行“挂牌督办”",
    "把代表建议办理情况纳入年度目标考核", "落实“代表+部门+群众”三方会商制度",
    "每月至少深入一次网格", "每半年向选民报告一次履职情况", "建立问题、责任、时限“三张清单”",
]
PROBLEMS = [
    "校园周边流动摊点占道经营", "农村道路破损", "城区停车难", "老旧小区加装电梯难",
    "农产品销售渠道窄", "企业融资难融资贵", "基层医疗人才短缺", "农村饮水安全",
    "背街小巷路灯不亮", "垃圾分类收运不及时", "河道淤积", "电动自行车充电难",
]
MEDIA = ["《人民代表报》", "《河南日报》", "《人民之友》", "《大河报》", "《中国人大》", "《代表工作》",
         "河南人大网", "“学习强国”平台"]
GOALS = ["代表建议“掌上办”", "群众诉求“一键直达”", "代表履职全程留痕", "社情民意实时汇集",
         "问题线索分类交办", "履职数据可查可考", "监督工作提质增效", "代表与选民“面对面”"]
SPEECH_FIRST = ["有了代表联络站", "代表就在身边", "以前路难走", "建议提了能办、办了有回音",
                "当代表就要为群众说话", "小区的停车难题解决了", "以前办事跑断腿", "家门口就能找到代表",
                "这几年村里变化大", "代表来了好几回", "问题反映上去没几天", "孩子上学的路修好了",
                "大棚里装上了5G监测设备", "老年食堂开到了家门口"]
SPEECH_SECOND = ["我们反映问题有了门路", "有事找代表很方便", "心里踏实多了", "真是办到了群众心坎上",
                 "这里是我们的‘连心桥’", "代表说话算数、办事靠谱", "现在一次就办好",
                 "就有人上门来解决", "日子越过越有奔头", "大家都说人大代表真管用",
                 "我们打心眼里感谢代表", "群众的事有人管了"]
NICKNAMES = ["“信息员”", "“服务员”", "“宣传员”", "“监督员”", "“贴心人”", "“领头雁”", "“老娘舅”"]
APPROVERS = ["县委主要领导", "市人大常委会", "省人大常委会代表工委", "上级人大", "县委县政府",
             "当地党委"]
LATIN_WORDS = ["AI", "5G", "App", "VR", "GDP", "PM2.5", "H5", "ETC", "LED", "CT"]

# Run-in headings: the sentence set in 黑体 (一、) or 楷体 (（一）).
HEAD_FIRST = ["强化政治引领", "坚持问题导向", "聚焦中心大局", "突出示范引领", "搭建履职平台",
              "健全工作机制", "创新活动载体", "拓展联系渠道", "压实工作责任", "注重成果转化",
              "加强学习培训", "深化主题活动", "坚持高位推动", "强化统筹协调", "突出重点领域",
              "丰富履职形式", "深化“两个联系”", "用好数字平台", "做实“回头看”"]
HEAD_SECOND = ["筑牢履职根基", "推动建议落地见效", "助力高质量发展", "激发代表履职活力",
               "营造浓厚氛围", "提升监督质效", "密切代表同人民群众联系", "确保活动走深走实",
               "彰显代表担当作为", "增强服务群众实效", "夯实基层工作基础", "凝聚发展合力",
               "推动民生实事落地", "让代表履职更有温度"]
GRASP = ["系统谋划", "履职实践", "典型引领", "机制保障", "阵地建设", "督办落实", "学习培训",
         "宣传引导", "建议办理", "能力提升"]
PROMOTE = ["履职方向明、根基稳", "代表参与深、成效实", "活动氛围浓、动力足", "落实标准严、质效优",
           "联系群众广、服务实", "问题解决快、群众满意", "工作抓手多、载体新"]
SUB_HEADS = ["坚持高位推动", "完善制度机制", "强化阵地建设", "突出履职实效", "注重典型引领",
             "做到“四个到位”", "抓好“三个环节”", "聚焦2025年重点任务", "用好AI等新技术",
             "建好“代表之家”", "推动问题“清零”", "深化“5G+智慧监督”"]
SUB_FIELDS = ["服务大局", "保障民生", "基层治理", "提升能力", "联系群众", "建议办理", "监督实效",
              "阵地建设", "乡村振兴", "优化营商环境", "生态保护", "文化传承"]
SUB_VERBS = ["聚力", "用力", "发力", "下功夫", "求突破", "见实效"]

SENTENCE_FORMS = 26
# Article sizes: printed lines a paragraph takes, introductory paragraphs, sections
# (一、), subsections (（一）) under a nested section, paragraphs of a news-style article.
SIZES = {
    "tiny": {"lines": (2, 4), "intro": (2, 2), "sections": (0, 0), "subs": (0, 0), "more": (0, 0)},
    "short": {"lines": (1, 6), "intro": (1, 1), "sections": (2, 3), "subs": (2, 2),
              "more": (1, 3)},
    "normal": {"lines": (1, 12), "intro": (1, 2), "sections": (2, 5), "subs": (2, 3),
               "more": (2, 5)},
    "long": {"lines": (4, 10), "intro": (1, 2), "sections": (2, 2), "subs": (2, 3),
             "more": (8, 12), "target": 68},  # sections until ≥ 60 lines
}
CLOSERS = [
    "下一步，{subject}将继续{action}，{result}。",
    "下一步，{subject}将坚持以人民为中心，{action}，{result}。",
    "{subject}表示，将以此次活动为契机，{action}，{result}。",
    "今后，我们将持续用力、久久为功，{action}，{result}。",
]
SHORT_LEADS = ["目前", "截至目前", "活动开展以来", "实践证明", "据统计", "总的来看", "从效果看",
               "下一步", "经过努力", "多措并举之下", "近期", "与此同时"]
SHORT_TAILS = ["各项工作正有序推进", "群众反响良好", "这一机制行之有效", "代表履职热情高涨",
               "一批难题得到解决", "工作成效逐步显现", "群众满意度明显提升", "代表作用充分发挥",
               "将继续抓好落实", "相关做法已在全县推广", "各乡镇也在积极探索", "活动取得阶段性成效",
               "问题整改全部到位", "代表建议件件有回音"]
SHORT_SENTENCES = [
    "活动开展以来，群众反响良好。", "下一步，我们将持续用力、久久为功。", "代表们纷纷表示收获很大。",
    "{county}人大常委会高度重视，迅速安排部署。", "会议强调，要持续深化代表主题活动。",
    "目前，各项工作正有序推进。", "这一做法得到了群众的普遍认可。", "实践证明，这一机制行之有效。",
    "截至目前，已办结{n}件。", "群众满意率达到{pct}%。", "相关经验被《人民之友》刊发。",
    "{county}的做法值得借鉴。", "各乡镇也结合实际进行了探索。", "这样的场景在{county}随处可见。",
    "“代表就在身边，有事好商量。”", "活动共吸引{n}余名代表参加。",
]

# --- rich content: photos, tables, lists, sub-points, notes ---------------------------

# Photo pixel sizes by shape: (width range), (height / width range). Printed at 150 dpi,
# or smaller to fit the column (921 px): landscape and wide photos fill the column's
# width, portrait ones stay under 14 grid lines (840 px), small ones are a few lines high.
PHOTO_SHAPES = {
    "landscape": ((950, 1600), (0.56, 0.75)),
    "medium": ((520, 900), (0.6, 0.75)),
    "portrait": ((420, 600), (1.25, 1.45)),
    "small": ((160, 340), (0.6, 1.25)),
    "wide": ((1200, 1800), (0.3, 0.42)),
}
PHOTO_SHAPE_ORDER = ["landscape", "landscape", "medium", "portrait", "small", "wide"]
PHOTO_MAX_HEIGHT = 840
# How a caption is written: the image's title, its alt text, a 图为 paragraph after it, none.
CAPTION_FORM_ORDER = ["title", "title", "alt", "alt", "paragraph", "paragraph", "none"]
CAPTIONS = [
    "图为{county}人大常委会组织代表开展{activity}", "图为{person}在{town}{action}",
    "图为代表们在{village}察看{topic}情况", "图为{county}{town}代表联络站接待选民现场",
    "图为{city}人大代表{activity}现场", "图为{county}人大常委会召开{topic}座谈会",
]
OTHER_CAPTIONS = ["{date}，{county}人大代表在代表联络站接待群众", "{county}人大常委会组织代表{activity}",
                  "代表们在{village}了解{topic}情况"]
PHOTO_ACTIONS = ["走访选民", "察看项目建设", "听取群众意见", "接待来访群众", "调研企业生产经营情况",
                 "宣讲政策"]

# Tables: every row on one line of 14 pt type (31.5 characters across the column, each
# cell padded about 0.7 character): the cells' widths add up to at most TABLE_CELLS.
TABLE_CELLS = 28
TABLE_CELL_PADDING = 0.7
TABLE_TITLE = re.compile(r"(表 ?)(\d+)( )")
TABLE_TITLES = [
    "{county}2025年代表建议办理情况", "{county}各代表联络站活动情况", "{county}人大代表{activity}安排",
    "{county}代表履职情况统计", "{topic}专项监督情况", "2025年{city}代表主题活动开展情况",
    "{county}人大常委会{activity}情况一览",
]
TABLE_METRICS = [("代表人数", "count"), ("接待群众（人次）", "count"), ("收集建议（条）", "count"),
                 ("办结（件）", "count"), ("办结率（%）", "rate"), ("满意率", "percent"),
                 ("同比（%）", "signed"), ("资金（万元）", "money")]
TABLE_UNITS = ["乡镇（街道）", "单位", "联络站", "代表小组"]
TABLE_CONTENTS = ["建立问题清单", "开展专题调研", "组织集中视察", "跟踪督办建议", "召开座谈会",
                  "进站接待选民", "开展满意度测评", "推动问题整改", "开展执法检查", "听取专项报告"]
SHORT_TOPICS = [t for t in TOPICS if len(t) <= 7]

# Lists: 26 cells a line after the two-character hanging indent.
LIST_CELLS = 26
LIST_LEADS = ["主要做法有：", "{subject}重点抓好以下工作：", "具体措施包括：",
              "活动中，代表们提出了以下意见建议：", "{county}的经验主要有以下几点：",
              "{subject}着力做到“四个到位”："]

# Sub-points 1. （1） ①, under 一、 or （一）.
POINT_HEADS = ["建立“三张清单”", "实行挂图作战", "开展“回头看”", "强化跟踪问效", "完善联系机制",
               "用好联络站点", "抓实建议办理", "做优履职服务", "推动问题整改", "加强宣传引导"]
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
AMOUNT_TAILS = ["专项资金全部到位", "投资带动一批项目落地", "资金用于改善农村道路"]

# Notes: after the body, before the credit.
NOTES = [
    "注：本文数据截至{date}。", "注：文中数据由{county}人大常委会代表工委提供。",
    "注：{county}共有各级人大代表{n}名，其中省人大代表{m}名、市人大代表{k}名，本文统计范围为"
    "全县{t}个代表联络站。",
    "注：文中{quote}是{county}人大常委会推行的代表履职工作机制。",
]
TABLE_NOTES = ["注：表中“办结率”指已办结建议占交办建议总数的比例，数据截至{date}。",
               "注：表中数据由各乡镇（街道）人大提供，截至{date}。"]


# --- small helpers ---------------------------------------------------------------------


def width(text: str) -> float:
    """Cells a text takes on a body line: half-width characters take half a cell."""
    return sum(0.5 if ord(ch) < 0x2000 and ch != "·" else 1 for ch in text if ch != " ")


def estimate_lines(text: str) -> int:
    """Body lines a paragraph takes: 26 cells on the indented first line, 28 after."""
    cells = width(text)
    if cells <= FIRST_LINE_CELLS:
        return 1
    return 1 + -int(-(cells - FIRST_LINE_CELLS) // LINE_CELLS)


def numeral(value: int) -> str:
    if value <= 10:
        return HEADING_NUMERALS[value - 1]
    tens, ones = divmod(value, 10)
    return (HEADING_NUMERALS[tens - 1] if tens > 1 else "") + "十" + (
        HEADING_NUMERALS[ones - 1] if ones else "")


def _yaml_scalar(text: str) -> str:
    """`text` as a YAML scalar: plain when YAML reads it back as that string, else quoted."""
    plain = (text == text.strip() and not re.search(r": | #|^[-?:,\[\]{}#&*!|>'\"%@`]", text)
             and yaml.safe_load(f"k: {text}") == {"k": text})
    return text if plain else json.dumps(text, ensure_ascii=False)


class Writer:
    """The random choices of one issue: one `random.Random(seed)` and nothing else."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.city = self.rng.choice(CITY_NAMES)
        self.county = self.rng.choice(CITIES[self.city])
        self.titles: set[str] = set()  # membership only: no set order reaches the output
        # Rich content (photos, tables, lists, sub-points, notes) is drawn from a stream of
        # its own: an issue without it has the text it had before rich content existed.
        # A str seed is hashed with SHA-512, never with hash(): the same on every run.
        self.rich_rng = random.Random(f"corpus-rich-{seed}")
        self.photo_sizes: set[tuple[int, int]] = set()  # membership only

    @contextmanager
    def drawing_from(self, rng: random.Random):
        """Every choice inside the block from `rng` (the rich stream), then back."""
        saved, self.rng = self.rng, rng
        try:
            yield
        finally:
            self.rng = saved

    # Choices -------------------------------------------------------------------------

    def pick(self, items):
        return items[self.rng.randrange(len(items))]

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def number(self) -> str:
        kind = self.rng.random()
        if kind < 0.5:
            return str(self.rng.randint(2, 60))
        if kind < 0.85:
            return str(self.rng.randint(61, 999))
        return str(self.rng.randint(1000, 12000))

    def percent(self) -> str:
        if self.chance(0.2):
            return "100"
        return f"{self.rng.randint(60, 99)}.{self.rng.randint(1, 9)}"

    def amount(self) -> str:
        return f"{self.rng.randint(1, 48)}.{self.rng.randint(1, 9)}"

    def person(self) -> str:
        name = self.pick(SURNAMES) + self.pick(GIVEN)
        return f"{self.pick(ROLES)}{name}"

    def place(self) -> str:
        return self.pick([self.county, f"{self.county}{self.pick(TOWNS)}",
                          f"{self.pick(TOWNS)}{self.pick(VILLAGES)}", self.city])

    def fill(self, template: str) -> str:
        return template.format(
            county=self.county, city=self.city, town=self.pick(TOWNS), n=self.number(),
            pct=self.percent(), subject=self.pick(SUBJECTS), action=self.pick(ACTIONS),
            result=self.pick(RESULTS))

    # Figures -------------------------------------------------------------------------

    def figure(self) -> str:
        """A clause with a number in it."""
        n, p, a = self.number(), self.percent(), self.amount()
        many = str(self.rng.randint(100, 9000))  # “余” goes with round, larger numbers
        return self.pick([
            f"收集意见建议{n}条", f"解决问题{n}个", f"走访选民{many}余人次", f"开展活动{n}场次",
            f"代表建议办结率达{p}%", f"群众满意率达到{p}%", f"同比增长{p[:2].rstrip('.')}%",
            f"完成投资{a}亿元", f"覆盖{n}个行政村", f"培训代表{n}人次", f"提出建议{n}件",
            f"建成代表联络站{self.rng.randint(3, 90)}个", f"帮助企业解决融资{a}亿元",
            f"带动就业{many}余人", f"新增5G基站{n}个", f"PM2.5平均浓度下降{self.rng.randint(3, 19)}%",
            f"GDP增长{self.rng.randint(3, 8)}.{self.rng.randint(1, 9)}%",
            f"12345热线工单办结{n}件", f"“河南人大”App注册代表{n}名",
            f"累计为民办实事{n}件", f"推动{self.rng.randint(2, 30)}个问题得到解决",
            f"回收有效问卷{n}份", f"惠及群众{self.rng.randint(2, 90)}万余人",
            f"向相关部门转交建议交办函{self.rng.randint(2, 40)}件",
            f"印制学习资料{many}余册", f"争取资金{a}亿元",
        ])

    def date(self) -> str:
        month = self.rng.randint(1, 11)
        return self.pick([
            f"2025年{month}月", f"2025年1—{month + 1}月", f"{month}月{self.rng.randint(1, 28)}日",
            f"2024年{month}月至2025年{self.rng.randint(1, 6)}月", f"2025年第{self.pick('一二三')}季度",
            f"{month}月上旬", f"{month}月中旬至{month + 1}月底",
        ])

    # Sentences -----------------------------------------------------------------------

    def clause(self) -> str:
        """A comma-free clause, as the parts of a sentence."""
        return self.pick([
            lambda: f"{self.pick(SUBJECTS)}{self.pick(ACTIONS)}",
            lambda: f"围绕{self.pick(TOPICS)}{self.pick(ACTIONS)}",
            lambda: self.pick(ACTIONS),
            lambda: self.figure(),
            lambda: f"以{self.pick(QUOTES)}为抓手{self.pick(ACTIONS)}",
            lambda: f"聚焦{self.pick(TOPICS)}和{self.pick(TOPICS)}",
            lambda: f"累计{self.figure()}",
            lambda: self.pick(RESULTS),
        ])()

    def sentence(self, avoid: set[int] | None = None) -> tuple[int, str]:
        """(form, one sentence ending with `。` or `……`), of a form not in `avoid`."""
        forms = [form for form in range(SENTENCE_FORMS) if form not in (avoid or ())]
        form = self.pick(forms or list(range(SENTENCE_FORMS)))
        return form, self._sentence(form)

    def _sentence(self, form: int) -> str:
        rng = self.rng
        subject, topic = self.pick(SUBJECTS), self.pick(TOPICS)
        action, action2, action3 = rng.sample(ACTIONS, 3)
        if form == 0:
            return f"{self.pick(TIMES)}，{subject}{action}，{self.clause()}，{self.figure()}。"
        if form == 1:
            return (f"{subject}以{self.pick(QUOTES)}为抓手，{action}，{self.figure()}，"
                    f"{self.figure()}。")
        if form == 2:
            return (f"{subject}围绕{topic}、{self.pick(TOPICS)}等重点工作，组织代表开展"
                    f"{self.pick(ACTIVITIES)}{rng.randint(2, 40)}次，提出意见建议{self.number()}条。")
        if form == 3:
            return f"聚焦{topic}，{subject}{action}——{action2}，{self.pick(RESULTS)}。"
        if form == 4:
            items = "、".join(rng.sample(ACTIVITIES, rng.randint(3, 5)))
            return f"{subject}先后开展{items}……"
        if form == 5:
            return f"认真贯彻落实{self.pick(BOOKS)}，{action}，{self.pick(RESULTS)}。"
        if form == 6:
            speech = f"{self.pick(SPEECH_FIRST)}，{self.pick(SPEECH_SECOND)}"
            mark = self.pick(["。", "！", "。"])
            if self.chance(0.5):
                who = self.person()
            else:
                who = (self.pick(FOLKS) + self.pick(SURNAMES)
                       + self.pick(["大爷", "阿姨", "女士", "先生", "大姐"]))
            return f"“{speech}{mark}”{who}说。"
        if form == 7:
            return (f"{self.pick(TIMES)}，全{self.county[-1]}各级代表累计{self.figure()}，"
                    f"{self.figure()}，{self.figure()}。")
        if form == 8:
            a, b, c = (self.pick(["征集", "交办", "办理", "反馈", "评价", "督办", "公开"])
                       for _ in range(3))
            return f"{subject}建立“{a}→{b}→{c}”闭环机制，{action}。"
        if form == 9:
            parts = [f"{numeral(i + 1)}是{mechanism}。{self.pick(MECHANISM_WHO)}"
                     f"{self.pick(MECHANISM_HOW)}"
                     for i, mechanism in enumerate(rng.sample(MECHANISMS, rng.randint(2, 4)))]
            return "；".join(parts) + "。"
        if form == 10:
            return f"通过{self.pick(PLATFORMS)}，{action}，实现{self.pick(GOALS)}。"
        if form == 11:
            first, second = rng.sample(MEDIA, 2)
            return (f"{self.place()}的做法得到{self.pick(APPROVERS)}的充分肯定，被{first}"
                    f"{second}等媒体宣传报道。")
        if form == 12:
            return f"截至{self.date()}，{self.figure()}，{self.figure()}。"
        if form == 13:
            return (f"在{self.place()}，{subject}针对{self.pick(PROBLEMS)}等问题，{action}，"
                    f"推动问题在{rng.randint(3, 30)}天内解决。")
        if form == 14:
            return f"{self.person()}{action}，{action2}，被群众称为{self.pick(NICKNAMES)}。"
        if form == 15:
            latin = self.pick(LATIN_WORDS)
            return f"借助{latin}等技术手段，{subject}{action}，{self.figure()}。"
        if form == 16:
            return (f"在{self.pick(TOPICS)}方面，{self.clause()}，{self.clause()}，"
                    f"{self.pick(RESULTS)}。")
        if form == 17:
            return (f"{self.date()}，{subject}组织{rng.randint(8, 120)}名代表{action}，"
                    f"{self.figure()}。")
        if form == 18:
            return f"{subject}{action}、{action2}、{action3}……"
        if form == 19:
            return f"代表们登录{HOMEPAGE}或关注“{self.county}人大”微信公众号，{action}。"
        if form == 20:
            return (f"{subject}编印{self.pick(BOOKS)}等学习资料{rng.randint(100, 5000)}余册，"
                    f"{action}。")
        if form == 21:
            first, second = rng.sample(QUOTES, 2)
            return f"同时，{subject}还把{first}与{second}结合起来，{action}。"
        if form == 22:
            lead = self.pick(["此外", "与此同时", "在此基础上", "另外", "特别是"])
            return f"{lead}，{self.clause()}，{self.clause()}。"
        if form == 23:
            return (f"针对{self.pick(PROBLEMS)}问题，{self.pick(ROLES[:5])}{self.pick(SURNAMES)}"
                    f"{self.pick(GIVEN)}提出了《关于{self.pick(TOPICS)}的建议》，{self.pick(RESULTS)}。")
        if form == 24:
            return (f"{self.pick(TIMES)}，{subject}共收到代表建议{self.number()}件，已全部办结，"
                    f"其中所提问题已经解决或基本解决的{self.number()}件，占{self.percent()}%。")
        if form == 25:
            return (f"“{self.pick(SPEECH_SECOND)}！”这是{self.pick(FOLKS)}对{self.place()}"
                    f"{self.pick(['代表联络站', '代表之家', '人大代表', '代表工作站'])}的评价。")
        return f"{subject}{action}，{self.clause()}，{self.pick(RESULTS)}。"

    def short_sentence(self, cells: float) -> str:
        """A sentence of at most `cells` cells (at least 8)."""
        for _ in range(60):
            if self.chance(0.3):
                text = self.fill(self.pick(SHORT_SENTENCES))
            else:
                text = f"{self.pick(SHORT_LEADS)}，{self.pick(SHORT_TAILS)}。"
            if width(text) <= cells:
                return text
        return self.pick(["工作有序推进。", "群众普遍点赞。", "成效初步显现。", "反响良好。"])

    def run(self, cells: float) -> str:
        """Sentences up to about `cells` cells, no two of one form."""
        text, used = "", set()
        while width(text) < cells - 14:
            for _ in range(12):
                form, sentence = self.sentence(used)
                if width(text + sentence) <= cells + 10:
                    used.add(form)
                    break
            else:
                sentence = self.short_sentence(max(cells - width(text), 14))
            text += sentence
        return text or self.short_sentence(cells)

    # Paragraphs ----------------------------------------------------------------------

    def line_count(self, lo: int = 1, hi: int = 12) -> int:
        weights = {1: 3, 2: 8, 3: 12, 4: 14, 5: 14, 6: 12, 7: 10, 8: 8, 9: 6, 10: 5, 11: 4, 12: 4}
        counts = [n for n in range(lo, hi + 1)]
        return self.rng.choices(counts, [weights[n] for n in counts])[0]

    def paragraph(self, lines: int, opening: str = "") -> str:
        """A paragraph of about `lines` printed lines, after `opening` (a run-in heading)."""
        if lines == 1 and not opening:
            return self.short_sentence(FIRST_LINE_CELLS - 2)
        cells = FIRST_LINE_CELLS + (lines - 1) * LINE_CELLS - self.rng.randint(0, 18)
        return opening + self.run(cells - width(opening))

    def heading(self) -> str:
        form = self.rng.randrange(6)
        if form == 0:
            return f"抓{self.pick(GRASP)}，促{self.pick(PROMOTE)}。"
        if form == 1:
            return f"聚焦{self.pick(TOPICS)}，{self.pick(HEAD_SECOND)}。"
        if form == 2:
            return f"实施{self.pick(QUOTES)}行动，{self.pick(HEAD_SECOND)}。"
        return f"{self.pick(HEAD_FIRST)}，{self.pick(HEAD_SECOND)}。"

    def sub_heading(self) -> str:
        if self.chance(0.5):
            return f"在{self.pick(SUB_FIELDS)}上{self.pick(SUB_VERBS)}。"
        return self.pick(SUB_HEADS) + "。"

    # Articles ------------------------------------------------------------------------

    def title(self, low: int = 8, high: int = 60) -> str | list[str]:
        """A title of `low` to `high` characters (spaces not counted), unlike the issue's
        other titles; a list of lines at times."""
        for _ in range(200):
            phrases = self._title_phrases()
            joiner = " " if self.chance(0.6) else ""
            text = joiner.join(phrases)
            length = len(text.replace(" ", ""))
            if low <= length <= high and "".join(phrases) not in self.titles:
                break
        self.titles.add("".join(phrases))
        if len(phrases) > 1 and self.chance(0.25) and all(width(p) <= 20 for p in phrases):
            return phrases
        return text

    def _title_phrases(self) -> list[str]:
        county, city, rng = self.county, self.city, self.rng
        place = self.pick([county, f"{city}{county}", city, f"{county}{self.pick(TOWNS)}"])
        quote = self.pick(QUOTES)
        form = rng.randrange(16)
        if form == 0:
            return [f"{place}：{quote}", f"助推{self.pick(['代表主题活动', '民生实事', '基层治理'])}"
                    f"{self.pick(['提质增效', '走深走实', '落地见效', '出新出彩'])}"]
        if form == 1:
            return [f"{place}：{self.pick(HEAD_FIRST)}", self.pick(HEAD_SECOND)]
        if form == 2:
            return [f"关于{self.pick(TOPICS)}情况的调研报告"]
        if form == 3:
            return [f"{place}人大常委会：以{quote}为抓手", f"推动{self.pick(TOPICS)}"]
        if form == 4:
            return [f"坚持{self.pick(['问题导向', '人民至上', '系统观念', '守正创新'])}"
                    f" 突出{self.pick(TOPICS)}", f"{place}扎实推进{self.pick(ACTIVITIES)}"]
        if form == 5:
            return [f"{place}：2025年1—{rng.randint(3, 10)}月", f"代表建议办结率达{self.percent()}%"]
        if form == 6:
            return ["AI赋能代表履职", f"{place}打造“数字人大”新样板"]
        if form == 7:
            return [f"{place}：“5G+代表联络站”", "让群众诉求“码上办”"]
        if form == 8:
            return [f"{place}：{self.pick(HEAD_SECOND)}"]
        if form == 9:
            return [f"{place}：{self.pick(HEAD_FIRST)}", self.pick(HEAD_SECOND),
                    f"奋力谱写{self.pick(TOPICS)}新篇章"]
        if form == 10:
            return ["为民履职走在前", f"助力{self.pick(['发展', '振兴', '治理'])}添彩中原"]
        if form == 11:
            return [f"{county}：{self.pick(['代表履职', '民生实事', '联络站点', '建议办理'])}"
                    f"{self.pick(['有新招', '见实效', '焕新颜', '开新局', '结硕果'])}"]
        if form == 12:
            return [f"关于{county}{self.pick(TOPICS)}、{self.pick(TOPICS)}和{self.pick(TOPICS)}"
                    "情况的调研报告"]
        if form == 13:
            first, second = rng.sample(TOPICS, 2)
            return [f"{city}{county}人大常委会：坚持{self.pick(['问题导向', '人民至上'])}",
                    f"以{quote}为抓手 推动{first}和{second}"]
        if form == 14:
            first, second = rng.sample(TOPICS, 2)
            return [f"{city}{county}人大常委会：坚持{self.pick(['问题导向', '人民至上'])}",
                    f"以{quote}为抓手扎实推进{first}和{second}",
                    f"奋力谱写中国式现代化{county}新篇章"]
        return ["关于进一步加强和改进新时代人大代表工作",
                f"推动全过程人民民主在{place}落地见效的实践与思考"]

    def subtitle(self) -> str:
        return self.pick([
            f"{self.city}{self.county}深化提升代表主题活动工作纪实",
            f"关于{self.pick(TOPICS)}情况的调查",
            f"{self.county}人大常委会开展{self.pick(ACTIVITIES)}综述",
            f"{self.county}推行{self.pick(QUOTES)}的探索与实践",
            f"来自{self.county}{self.pick(TOWNS)}的报告",
        ])

    def credit(self, short: bool = False) -> str:
        forms = CREDIT_FORMS[:3] if short else CREDIT_FORMS
        return self.fill(self.pick(forms))

    def body(self, style: str, size: str) -> list[str]:
        """The paragraphs of an article. `style`: news (no headings), sections (一、) or
        nested (一、 with （一）); `size`: tiny, short, normal or long (see SIZES)."""
        size_ = SIZES[size]
        lo, hi = size_["lines"]
        paragraphs = [self.paragraph(self.line_count(lo, hi))
                      for _ in range(self.rng.randint(*size_["intro"]))]
        if style == "news" or not size_["sections"][1]:
            for _ in range(self.rng.randint(*size_["more"])):
                paragraphs.append(self.paragraph(self.line_count(lo, hi)))
            return paragraphs
        sections = self.rng.randint(*size_["sections"])
        index = 0
        while index < sections or ("target" in size_ and index < 10 and sum(
                map(estimate_lines, paragraphs)) < size_["target"] - 8):
            index += 1
            opening = f"{numeral(index)}、{self.heading()}"
            if style == "nested" and self.chance(0.6):
                paragraphs.append(self.paragraph(self.line_count(1, min(hi, 4)), opening))
                for sub in range(1, self.rng.randint(*size_["subs"]) + 1):
                    opening = f"（{numeral(sub)}）{self.sub_heading()}"
                    paragraphs.append(self.paragraph(self.line_count(max(lo, 2), hi), opening))
                    if self.chance(0.2):
                        paragraphs.append(self.paragraph(self.line_count(lo, hi)))
            else:
                paragraphs.append(self.paragraph(self.line_count(max(lo, 2), hi), opening))
                if self.chance(0.35):
                    paragraphs.append(self.paragraph(self.line_count(lo, hi)))
        if self.chance(0.6):
            paragraphs.append(self.fill(self.pick(CLOSERS)))
        return paragraphs

    def article(self, style: str, size: str, subtitle: bool, spaced: bool,
                title_range: tuple[int, int] = (8, 60)) -> "Article":
        title = self.title(*title_range)
        paragraphs = self.body(style, size)
        if spaced:
            paragraphs = [space_digits(p) for p in paragraphs]
        return Article(title, self.credit(short=size == "tiny"), paragraphs,
                       self.subtitle() if subtitle else None)

    # Rich content ----------------------------------------------------------------------
    # Drawn from `rich_rng` (see `enrich`), written to the conventions of the README
    # (captions, table titles, lists, heading levels, notes).

    def photo(self, stem: str, index: int) -> tuple[list[str], "Photo"]:
        """A figure's blocks (the image paragraph, and its `图为…` paragraph when the caption
        is written that way) and the photo to draw beside the article."""
        shape = self.pick(PHOTO_SHAPE_ORDER)
        (low, high), (flat, tall) = PHOTO_SHAPES[shape]
        for _ in range(100):  # a pixel size no other photo of the issue has
            width = self.rng.randint(low, high)
            height = min(round(width * self.rng.uniform(flat, tall)), PHOTO_MAX_HEIGHT)
            if (width, height) not in self.photo_sizes:
                break
        self.photo_sizes.add((width, height))
        photo = Photo(f"{stem}-{index}.png", width, height, shape, self.rng.randrange(2 ** 32))
        form = self.pick(CAPTION_FORM_ORDER)
        if form == "none":
            return [f"![]({photo.name})"], photo
        caption = self.caption(starts_with_tu=form == "paragraph" or self.chance(0.7))
        photo.caption, photo.caption_form = caption, form
        if form == "title":
            return [f'![]({photo.name} "{caption}")'], photo
        if form == "alt":
            return [f"![{caption}]({photo.name})"], photo
        return [f"![]({photo.name})", caption], photo

    def caption(self, starts_with_tu: bool = True) -> str:
        forms = CAPTIONS if starts_with_tu else OTHER_CAPTIONS
        text = self.pick(forms).format(
            county=self.county, city=self.city, town=self.pick(TOWNS),
            village=self.pick(VILLAGES), activity=self.pick(ACTIVITIES),
            topic=self.pick(TOPICS), person=self.person(), date=self.date(),
            action=self.pick(PHOTO_ACTIONS))
        return text + ("。" if self.chance(0.3) and not text.endswith("。") else "")

    def table(self, number: int | None, rows: int) -> list[str]:
        """A pipe table of `rows` body rows (and its `表N …` title paragraph when `number`),
        every row short enough to stay on one line of the column."""
        for _ in range(50):
            header, body = self._table_cells(rows)
            widths = [max(width(row[col]) for row in [header] + body)
                      for col in range(len(header))]
            if sum(widths) + TABLE_CELL_PADDING * len(header) <= TABLE_CELLS:
                break
        blocks = []
        if number is not None:
            mark = self.pick([f"表{number} ", f"表{number} ", f"表 {number} "])
            blocks.append(mark + self.pick(TABLE_TITLES).format(
                county=self.county, city=self.city, activity=self.pick(ACTIVITIES),
                topic=self.pick(SHORT_TOPICS)))
        lines = [_table_row(header), "| " + " | ".join("---" for _ in header) + " |"]
        lines += [_table_row(row) for row in body]
        blocks.append("\n".join(lines))
        return blocks

    def _table_cells(self, rows: int) -> tuple[list[str], list[list[str]]]:
        form = self.rng.randrange(3)
        if form == 0:  # figures by town: numeric columns, at times a 合计 row
            kinds = self.rng.sample(TABLE_METRICS, self.rng.randint(2, 3))
            header = [self.pick(TABLE_UNITS)] + [name for name, _ in kinds]
            total = self.chance(0.4) and rows >= 4
            places = self.rng.sample(TOWNS + VILLAGES, rows - total)
            body = [[place] + [self.metric(kind) for _, kind in kinds] for place in places]
            if total:
                body.append(["合计"] + [self._total(body, col + 1, kind)
                                      for col, (_, kind) in enumerate(kinds)])
            return header, body
        if form == 1:  # a schedule: 序号, dates, short texts, a count with its unit
            header = ["序号", "时间", "活动内容", "参加代表"]
            days = sorted(self.rng.sample(range(12 * 28), rows))  # in order, none twice
            body = [[str(i + 1), f"{day // 28 + 1}月{day % 28 + 1}日",
                     self.pick(ACTIVITIES).strip("“”"),
                     self.pick([f"{self.rng.randint(8, 120)}人", str(self.rng.randint(8, 120))])]
                    for i, day in enumerate(days)]
            return header, body
        # words only
        header = ["项目", "主要内容", "牵头单位"]
        topics = self.rng.sample(SHORT_TOPICS, rows)
        body = [[topic, self.pick(TABLE_CONTENTS), self.pick(MECHANISM_WHO)] for topic in topics]
        return header, body

    def metric(self, kind: str) -> str:
        rng = self.rng
        if kind == "count":
            value = rng.choice([rng.randint(3, 99), rng.randint(100, 999),
                                rng.randint(1000, 20000)])
            return f"{value:,}"
        if kind == "rate":
            return "100" if self.chance(0.15) else f"{rng.randint(80, 99)}.{rng.randint(0, 9)}"
        if kind == "percent":
            return f"{rng.randint(80, 99)}.{rng.randint(0, 9)}%"
        if kind == "signed":
            return f"{self.pick('+-')}{rng.randint(0, 30)}.{rng.randint(1, 9)}"
        return f"{rng.randint(10, 9000):,}.{rng.randint(0, 9)}"  # money

    @staticmethod
    def _total(body: list[list[str]], col: int, kind: str) -> str:
        if kind != "count":
            return "—"
        return f"{sum(int(row[col].replace(',', '')) for row in body):,}"

    def bullet_list(self) -> list[str]:
        """A list's lead-in paragraph and the list: 3 to 6 items, some over two or three
        lines (26 cells a line after the hanging indent)."""
        marker = self.pick(["-", "-", "-", "*", "+"])
        items = []
        count = self.rng.randint(3, 6)
        for index in range(count):
            lines = self.rng.choices([1, 2, 3], [5, 4, 2])[0]
            target = LIST_CELLS * lines - self.rng.randint(2, 12)
            text = self.pick(ACTIONS)
            while width(text) < target - 8:
                text += "，" + self.pick([self.clause, self.figure])()
            items.append(text + ("。" if index == count - 1 else "；"))
        lead = self.fill(self.pick(LIST_LEADS))
        return [lead, "\n".join(f"{marker} {item}" for item in items)]

    def points(self, level: int, count: int) -> list[str]:
        """`count` sub-points of `level` (3: `1.`, 4: `（1）`, 5: `①`), numbered from 1,
        each at times with sub-points of the next level under it."""
        paragraphs = []
        dot = self.pick([".", ".", ".", "．"]) if level == 3 else ""
        for value in range(1, count + 1):
            if level == 3:
                # `1. ` with a space is a Markdown ordered list item (set as `1.`); never
                # after `．`, where the space would sit between two full-width characters.
                space = " " if self.chance(0.2) and dot == "." else ""
                opening = f"{value}{dot}{space}{self.point_heading()}"
                paragraphs.append(self.paragraph(self.line_count(1, 4), opening))
            elif level == 4:
                if self.chance(0.25):  # a numbered paragraph: no heading sentence
                    paragraphs.append(f"（{value}）{self.pick(ACTIONS)}，{self.figure()}；")
                else:
                    opening = f"（{value}）{self.point_heading()}"
                    paragraphs.append(self.paragraph(self.line_count(1, 3), opening))
            else:
                mark = CIRCLED[value - 1]
                paragraphs.append(f"{mark}{self.pick(ACTIONS)}，{self.figure()}"
                                  + ("；" if value < count else "。"))
            if level < 5 and self.chance(0.3):
                paragraphs += self.points(level + 1, self.rng.randint(2, 3))
        return paragraphs

    def point_heading(self) -> str:
        if self.chance(0.4):
            return f"在{self.pick(SUB_FIELDS)}上{self.pick(SUB_VERBS)}。"
        return self.pick(POINT_HEADS) + "。"

    def note(self, has_table: bool) -> str:
        forms = NOTES + (TABLE_NOTES if has_table else [])
        return self.pick(forms).format(
            county=self.county, date=self.date(), n=self.rng.randint(300, 2000),
            m=self.rng.randint(5, 30), k=self.rng.randint(30, 120),
            t=self.rng.randint(8, 40), quote=self.pick(QUOTES))

    def enrich(self, article: "Article", spec: "IssueSpec", stem: str, spaced: bool) -> None:
        """Sub-points, photos, tables, lists and a note into `article`, as `spec` asks;
        every choice from the rich stream (an issue without rich content is unchanged)."""
        with self.drawing_from(self.rich_rng):
            self._enrich(article, spec, stem, spaced)

    def _enrich(self, article: "Article", spec: "IssueSpec", stem: str, spaced: bool) -> None:
        # Units: blocks that stay together (a figure and its 图为 paragraph, a table and its
        # title, a list and its lead-in); new units go between two old ones. New text gets
        # the article's spacing of digits (the old text has it).
        units = [[p] for p in article.paragraphs]
        spacing = space_digits if spaced else str
        if self.chance(spec.points):
            level_2 = [i for i, u in enumerate(units) if re.match("（[一二三四五六七八九十]+）", u[0])]
            level_1 = [i for i, u in enumerate(units) if re.match("[一二三四五六七八九十]+、", u[0])]
            parents = level_2 or level_1
            if parents:
                chosen = sorted(self.rng.sample(parents, min(len(parents), self.rng.randint(1, 2))))
                for index in reversed(chosen):
                    units[index + 1:index + 1] = [[spacing(p)] for p in
                                                  self.points(3, self.rng.randint(2, 4))]
            if self.chance(0.3):  # 1.5亿元 opens no heading
                units.insert(self.rng.randint(1, len(units)), [spacing(
                    f"{self.amount()}亿元{self.pick(AMOUNT_TAILS)}，{self.clause()}。")])
        new = []
        tables = 0
        if self.chance(spec.tables):
            for _ in range(self.rng.randint(1, 2)):
                rows = (self.rng.randint(12, 14) if self.chance(spec.long_tables)
                        else self.rng.randint(3, 9))
                titled = self.chance(0.65)
                tables += titled
                new.append(("table", self.table(tables if titled else None, rows)))
        if self.chance(spec.lists):
            for _ in range(self.rng.choices([1, 2], [3, 1])[0]):
                new.append(("list", self.bullet_list()))
        if self.chance(spec.photos):
            for index in range(1, self.rng.randint(*spec.photo_count) + 1):
                blocks, photo = self.photo(stem, index)
                article.photos.append(photo)
                new.append(("figure", blocks))
        self.rng.shuffle(new)
        for kind, blocks in new:
            # A figure may open the article (a photo under the title); a table or a list
            # comes after some text.
            units.insert(self.rng.randint(0 if kind == "figure" else 1, len(units)),
                         [spacing(block) for block in blocks])
        if self.chance(spec.notes):
            units.append([spacing(self.note(has_table=any(kind == "table" for kind, _ in new)))])
        article.paragraphs = [block for unit in units for block in unit]
        # Renumber the titled tables in reading order.
        number = 0
        for index, block in enumerate(article.paragraphs):
            found = TABLE_TITLE.match(block)
            if found and index + 1 < len(article.paragraphs) \
                    and article.paragraphs[index + 1].startswith("|"):
                number += 1
                article.paragraphs[index] = (found.group(1) + str(number) + found.group(3)
                                             + block[found.end():])


HAN_DIGIT = re.compile(r"(?<=[\u4e00-\u9fff])(?=[0-9])|(?<=[0-9])(?=[\u4e00-\u9fff])")


def space_digits(text: str) -> str:
    """`2025年` → `2025 年`, as some offices type (the linter wants it done consistently)."""
    return HAN_DIGIT.sub(" ", text)


@dataclass
class Article:
    title: str | list[str]
    credit: str
    paragraphs: list[str]
    subtitle: str | None = None
    photos: list["Photo"] = field(default_factory=list)  # drawn beside the article

    def source(self) -> str:
        lines = ["---"]
        if isinstance(self.title, list):
            lines.append("title:")
            lines += [f"  - {_yaml_scalar(line)}" for line in self.title]
        else:
            lines.append(f"title: {_yaml_scalar(self.title)}")
        if self.subtitle:
            lines.append(f"subtitle: {_yaml_scalar(self.subtitle)}")
        lines.append(f"credit: {_yaml_scalar(self.credit)}")
        lines.append("---")
        return "\n".join(lines) + "\n\n" + "\n\n".join(self.paragraphs) + "\n"


def _table_row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


@dataclass
class Photo:
    """A photo of an article: its file name beside the article, pixel size, shape (a key
    of PHOTO_SHAPES), the seed its pixels are drawn from, and its caption as written."""
    name: str
    width: int
    height: int
    shape: str
    seed: int
    caption: str | None = None
    caption_form: str = "none"  # title, alt, paragraph or none

    def draw(self, path: Path) -> None:
        """A picture of a meeting outdoors: sky, ground, a building, people. Flat colours
        and a gradient: a small PNG, the same bytes for the same seed."""
        from PIL import Image, ImageDraw

        rng = random.Random(self.seed)
        w, h = self.width, self.height
        image = Image.new("RGB", (w, h))
        draw = ImageDraw.Draw(image)
        horizon = int(h * rng.uniform(0.35, 0.6))
        top = (rng.randint(90, 140), rng.randint(140, 190), rng.randint(200, 245))
        for y in range(horizon):
            t = y / max(1, horizon - 1)
            draw.line([(0, y), (w, y)], fill=tuple(int(c + (235 - c) * t) for c in top))
        draw.rectangle([0, horizon, w, h], fill=(rng.randint(90, 140), rng.randint(110, 150), 80))
        left = rng.randint(0, w // 2)
        draw.rectangle([left, int(horizon * 0.45), left + rng.randint(w // 6, w // 2), horizon],
                       fill=(rng.randint(170, 230), rng.randint(150, 200), rng.randint(130, 180)))
        for _ in range(rng.randint(3, 9)):  # people: a body and a head
            x, size = rng.randint(0, w), max(3, int(h * rng.uniform(0.05, 0.12)))
            y = rng.randint(horizon, max(horizon, h - 2 * size))
            colour = (rng.randint(20, 200), rng.randint(20, 120), rng.randint(20, 160))
            draw.rectangle([x - size // 3, y, x + size // 3, y + 2 * size], fill=colour)
            draw.ellipse([x - size // 4, y - size // 2, x + size // 4, y], fill=(230, 190, 160))
        image.save(path, "PNG")


# --- issues ----------------------------------------------------------------------------

RECIPIENTS = [
    "各省辖市人大常委会代表工委", "济源示范区人大工委", "省人大常委会各工作机构",
    "各县（市、区）人大常委会", "省人大代表联络服务中心", "全国人大常委会代表工作委员会",
    "省委办公厅", "省政府办公厅", "省政协办公厅", "省委组织部", "省委宣传部",
    "省人大各专门委员会", "在豫全国人大代表", "省直有关单位", "各乡镇（街道）人大",
    "省人大常委会研究室", "河南人大网（www.henanrd.gov.cn）编辑部",
]
EXTRA_LABELS = ["抄", "抄送", "报", "送阅"]


@dataclass
class IssueSpec:
    """What one corpus issue is: the knobs `make_corpus_issue` turns."""

    articles: int
    size: str = "auto"  # tiny, short, normal, long, or auto: shorter when there are more
    styles: tuple[str, ...] = ("news", "sections", "nested")
    subtitles: float = 0.2  # share of articles with a subtitle
    spaced: float = 0.15  # share of articles with spaces between Han and digits
    supplement: bool = False
    extra_distribution: int = 0  # 报尾 lines added after the default ones
    distribution: int = 0  # when > 0, the 报尾 replaced by this many lines
    placement: str | None = None  # distribution_placement
    title_range: tuple[int, int] = (8, 60)
    # Rich content, each the share of articles that have it (Writer.enrich):
    photos: float = 0.0  # photo_count figures
    photo_count: tuple[int, int] = (1, 2)
    tables: float = 0.0  # one or two tables, long_tables of them 12 to 14 rows long
    long_tables: float = 0.3
    lists: float = 0.0  # bullet lists
    points: float = 0.0  # sub-points 1. （1） ① under the headings
    notes: float = 0.0  # a 注： paragraph before the credit


# Some rich content in most kinds of issue, as offices send it; none in the kinds whose
# seeds were picked for their shape (one-page, full-last-page).
SOME = dict(photos=0.12, photo_count=(1, 1), tables=0.1, long_tables=0.25, lists=0.1,
            points=0.15, notes=0.1)


KINDS = {
    "typical": lambda rng: IssueSpec(articles=rng.choice([4, 5, 5, 6, 6, 7, 8]), **SOME),
    "few": lambda rng: IssueSpec(articles=rng.randint(2, 3), **SOME),
    "single": lambda rng: IssueSpec(articles=1, size="normal", **SOME),
    "many": lambda rng: IssueSpec(articles=rng.randint(9, 12), size="short", **SOME),
    "one-page": lambda rng: IssueSpec(articles=1, size="tiny", styles=("news",), subtitles=0,
                                      spaced=0, title_range=(8, 14)),
    "forty-pages": lambda rng: IssueSpec(articles=12, size="long", styles=("sections", "nested"),
                                         tables=0.12, lists=0.08, points=0.12, notes=0.05),
    "supplement": lambda rng: IssueSpec(articles=rng.randint(3, 6), supplement=True, **SOME),
    "extra-distribution": lambda rng: IssueSpec(articles=rng.randint(3, 7),
                                                extra_distribution=rng.randint(1, 3), **SOME),
    "even-page": lambda rng: IssueSpec(articles=rng.randint(2, 6), placement="even-page", **SOME),
    "replaced-distribution": lambda rng: IssueSpec(articles=rng.randint(3, 6),
                                                   distribution=rng.randint(2, 3), **SOME),
    "subtitles": lambda rng: IssueSpec(articles=rng.randint(3, 6), subtitles=0.8, **SOME),
    "spaced-digits": lambda rng: IssueSpec(articles=rng.randint(3, 6), spaced=0.8, **SOME),
    "full-last-page": lambda rng: IssueSpec(articles=rng.randint(3, 6)),
    # Tables (some crossing a page), lists, sub-points, notes and subtitles in most articles.
    "rich": lambda rng: IssueSpec(articles=3, size="short",
                                  styles=("sections", "nested"), subtitles=0.5, photos=0.3,
                                  tables=0.9, long_tables=0.5, lists=0.8, points=0.9, notes=0.6),
    # Photos of every shape, captions in every form, in every article.
    "photos": lambda rng: IssueSpec(articles=3, size="short", photos=1.0,
                                    photo_count=(2, 4), tables=0.1, notes=0.3),
}


@dataclass(frozen=True)
class Entry:
    number: int
    seed: int
    kind: str
    overrides: dict = field(default_factory=dict, hash=False, compare=False)

    @property
    def id(self) -> str:
        return f"{self.number}-{self.kind}-s{self.seed}"


def _corpus() -> list[Entry]:
    kinds = (["typical"] * 10 + ["few", "few", "single", "single", "many", "many", "one-page",
              "forty-pages", "supplement", "supplement", "extra-distribution",
              "extra-distribution", "extra-distribution", "even-page", "even-page",
              "replaced-distribution", "subtitles", "subtitles", "spaced-digits",
              "full-last-page", "full-last-page", "full-last-page", "rich", "rich", "photos",
              "photos"])
    # Seeds picked so that each kind shows what it is for (see FULL_LAST_PAGE below).
    seeds = {"full-last-page": iter(FULL_LAST_PAGE_SEEDS)}
    # The three extra-distribution issues add one, two and three 报尾 lines.
    overrides = {"extra-distribution": iter([{"extra_distribution": n} for n in (1, 2, 3)])}
    entries = []
    for index, kind in enumerate(kinds):
        seed = next(seeds[kind]) if kind in seeds else 1000 + 37 * index
        entries.append(Entry(number=101 + index, seed=seed, kind=kind,
                             overrides=next(overrides[kind]) if kind in overrides else {}))
    return entries


# Seeds of "full-last-page" issues, found by building 70 seeds with
# `tests/render_corpus.py OUT --scan full-last-page --seeds 1-70`: seed 12 fills its last
# page exactly, 报尾 included; seed 11 leaves one grid line free above the 报尾; seed 49's
# text fills its last page to the foot, so that the 报尾 needs a page of its own. A change
# of the generator or of the layout moves these (test_the_built_corpus_has_its_shapes
# says so): scan again.
FULL_LAST_PAGE_SEEDS = [12, 11, 49]


def spec_for(rng: random.Random, kind: str, **overrides) -> IssueSpec:
    spec = KINDS[kind](rng)
    for key, value in overrides.items():
        if not hasattr(spec, key):
            raise TypeError(f"no such corpus issue setting: {key}")
        setattr(spec, key, value)
    return spec


def make_corpus_issue(project: Path, number: int, seed: int, kind: str = "typical",
                      **overrides) -> Path:
    """Write issues/<number>/ of the given kind into `project`; return the folder.

    `overrides` set fields of `IssueSpec` (articles=…, size=…, supplement=…, …).
    """
    writer = Writer(seed)
    rng = writer.rng
    spec = spec_for(rng, kind, **overrides)
    folder = project / "issues" / str(number)
    (folder / "articles").mkdir(parents=True, exist_ok=True)
    names = []
    for index in range(spec.articles):
        # Each article from its own county, as the offices send them.
        writer.city = writer.pick(CITY_NAMES)
        writer.county = writer.pick(CITIES[writer.city])
        style = writer.pick(list(spec.styles))
        size = spec.size
        if size == "auto":
            size = writer.pick(["normal"] if spec.articles <= 3 else
                               ["normal", "short"] if spec.articles <= 5 else
                               ["normal", "short", "short", "short"])
        titles = spec.title_range
        if titles == (8, 60) and writer.chance(0.12):
            titles = (48, 60)  # the longest titles offices send
        subtitle = writer.chance(spec.subtitles)  # in this order: the seeds' text as it was
        spaced = writer.chance(spec.spaced)
        article = writer.article(style, size, subtitle=subtitle, spaced=spaced,
                                 title_range=titles)
        stem = f"{index + 1:02d}-{_slug(writer.county)}"
        writer.enrich(article, spec, stem, spaced)
        name = f"{stem}.md"
        (folder / "articles" / name).write_text(article.source(), encoding="utf-8")
        for photo in article.photos:  # beside the article
            photo.draw(folder / "articles" / photo.name)
        names.append(name)
    lines = [f"# 《代表工作》语料第 {number} 期（kind: {kind}, seed: {seed}）",
             f"number: {number}", f"date: 2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
             "articles:"] + [f"  - {name}" for name in names]
    if spec.supplement:
        lines.append("supplement: true")
    if spec.distribution:
        lines.append("distribution:")
        lines += _distribution_lines(writer, spec.distribution, ["送", "发", "抄送"])
    if spec.extra_distribution:
        lines.append("extra_distribution:")
        labels = [writer.pick(["抄", "抄送"])] + [writer.pick(EXTRA_LABELS) for _ in range(2)]
        lines += _distribution_lines(writer, spec.extra_distribution, labels)
    if spec.placement:
        lines.append(f"distribution_placement: {spec.placement}")
    lines.append("# yaml-language-server: $schema=../../schema/issue.schema.json")
    (folder / "issue.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def _distribution_lines(writer: Writer, count: int, labels: list[str]) -> list[str]:
    """`count` 报尾 lines; the last one with a long list of recipients."""
    lines = []
    for index in range(count):
        label = labels[index] if index < len(labels) else writer.pick(labels)
        many = writer.rng.randint(1, 3) if index < count - 1 else writer.rng.randint(5, 9)
        chosen = writer.rng.sample(RECIPIENTS, many)
        lines.append(f"  - label: {label}")
        lines.append(f"    recipients: {_yaml_scalar('、'.join(chosen))}")
    return lines


def _slug(county: str) -> str:
    """An ASCII file name: the county's index in the tables (no hashing)."""
    for city_index, city in enumerate(CITY_NAMES):
        if county in CITIES[city]:
            return f"c{city_index:02d}{CITIES[city].index(county):02d}"
    return "x"


def make_corpus(project: Path, entries: list[Entry] | None = None) -> list[Path]:
    """Every corpus issue (or `entries`) into `project`."""
    return [make_corpus_issue(project, e.number, e.seed, e.kind, **e.overrides)
            for e in (CORPUS if entries is None else entries)]


CORPUS: list[Entry] = _corpus()


# --- reading the sources and the PDF back (for the corpus test and render_corpus.py) ------

INVISIBLE = re.compile("[ \u00a0\u200b\u2060\t\n]")


def squeeze(text: str) -> str:
    """Text as compared with what the PDF holds: no spaces, no invisible break hints."""
    return INVISIBLE.sub("", text)


FIGURE = re.compile(r'!\[(?P<alt>[^\]]*)\]\((?P<src>[^\s)]+)(?:\s+"(?P<title>[^"]*)")?\)')
SOURCE_TABLE_TITLE = re.compile(r"表\s*(?:\d+|[一二三四五六七八九十]+)")
LIST_ITEM = re.compile(r"[-*+] ")
NOTE = re.compile(r"注[：:]")


@dataclass
class Block:
    """One block of an article body as written, read by the conventions (README): a
    paragraph, a bullet list, a table (with the `表N …` paragraph before it as its title),
    a figure (with its caption: the image's title, else its alt text, else a `图为…`
    paragraph after it, which is then part of the figure), or a `注：` note."""
    kind: str  # paragraph, list, table, figure or note
    text: str  # as written (a figure: the image paragraph)
    line: int  # where it starts in the file, 1-based
    items: list[str] = field(default_factory=list)  # a list's items, markers dropped
    header: list[str] = field(default_factory=list)  # a table's header cells
    rows: list[list[str]] = field(default_factory=list)  # its body rows' cells
    title: str | None = None  # a table's title paragraph
    src: str | None = None  # a figure's image
    caption: str | None = None  # a figure's caption
    caption_form: str = "none"  # title, alt, paragraph or none

    def printed(self) -> list[str]:
        """What the PDF shows of the block, each squeezed: the words of a paragraph, a
        note or a list item, a table's title and rows (cells run together, as drawn), a
        figure's caption."""
        if self.kind == "list":
            return [squeeze(item) for item in self.items]
        if self.kind == "table":
            return ([squeeze(self.title)] if self.title else []) + [
                squeeze("".join(row)) for row in [self.header] + self.rows]
        if self.kind == "figure":
            return [squeeze(self.caption)] if self.caption else []
        return [squeeze(self.text)]


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def read_blocks(body: str, first_line: int) -> list[Block]:
    """The blocks of a Markdown body that starts on line `first_line` of its file."""
    groups: list[tuple[int, list[str]]] = []  # (first line, lines) of each blank-line block
    current: list[str] | None = None
    for number, line in enumerate(body.split("\n"), start=first_line):
        if not line.strip():
            current = None
        elif current is None:
            current = [line]
            groups.append((number, current))
        else:
            current.append(line)
    blocks: list[Block] = []
    index = 0
    while index < len(groups):
        number, lines = groups[index]
        text = "\n".join(lines)
        index += 1
        figure = FIGURE.fullmatch(text.strip())
        if figure:
            block = Block("figure", text, number, src=figure["src"])
            if figure["title"]:
                block.caption, block.caption_form = figure["title"], "title"
            elif figure["alt"]:
                block.caption, block.caption_form = figure["alt"], "alt"
            elif index < len(groups) and groups[index][1][0].startswith("图为"):
                block.caption, block.caption_form = "\n".join(groups[index][1]), "paragraph"
                index += 1
            blocks.append(block)
        elif all(line.lstrip().startswith("|") for line in lines):
            block = Block("table", text, number, header=_cells(lines[0]),
                          rows=[_cells(line) for line in lines[2:]])
            if blocks and blocks[-1].kind == "paragraph" \
                    and SOURCE_TABLE_TITLE.match(blocks[-1].text):
                block.title = blocks.pop().text
            blocks.append(block)
        elif LIST_ITEM.match(lines[0]):
            items: list[str] = []
            for line in lines:
                if LIST_ITEM.match(line):
                    items.append(line[2:].strip())
                else:
                    items[-1] += line.strip()
            blocks.append(Block("list", text, number, items=items))
        elif NOTE.match(text):
            blocks.append(Block("note", text, number))
        else:
            blocks.append(Block("paragraph", text, number))
    return blocks


@dataclass
class SourceArticle:
    name: str
    title_lines: list[str]
    credit: str
    subtitle: str | None
    paragraphs: list[str]  # the text paragraphs (headings, sub-points), as written
    blocks: list[Block] = field(default_factory=list)  # everything, in order

    def of_kind(self, kind: str) -> list[Block]:
        return [block for block in self.blocks if block.kind == kind]


@dataclass
class SourceIssue:
    number: int
    settings: dict  # issue.yaml as read
    articles: list[SourceArticle]

    def blocks(self, kind: str) -> list[Block]:
        return [block for article in self.articles for block in article.of_kind(kind)]


def read_sources(folder: Path) -> SourceIssue:
    """An issue folder as written, read with YAML and a blank-line split (not the tool's code)."""
    settings = yaml.safe_load((folder / "issue.yaml").read_text(encoding="utf-8"))
    articles = []
    for name in settings["articles"]:
        text = (folder / "articles" / name).read_text(encoding="utf-8")
        _, front, body = text.split("---\n", 2)
        meta = yaml.safe_load(front)
        title = meta["title"] if isinstance(meta["title"], list) else [meta["title"]]
        first_line = text[:len(text) - len(body)].count("\n") + 1
        blocks = read_blocks(body, first_line)
        articles.append(SourceArticle(name, title, meta["credit"], meta.get("subtitle"),
                                      [b.text for b in blocks if b.kind == "paragraph"],
                                      blocks))
    return SourceIssue(settings["number"], settings, articles)


PAGE_NUMBER = re.compile(r"^—\d+—$")
MM = 72 / 25.4
GRID_TOP = 37 * MM  # the first grid line's top, on every page (page 1's masthead fills 3 lines)
GRID_PITCH = 28.95
COLUMN_BOTTOM = 262 * MM


@dataclass
class PageGlyphs:
    chars: list[dict]  # drawn characters but the page number: text, x0, x1, top, bottom,
    #                    size, baseline (pt from the paper's top), font (its PostScript name)
    page_number: str  # `—7—`, or "" on an unnumbered page
    rules: list[tuple[float, float, float]]  # rectangles (rules): x0, x1, top
    images: list[dict] = field(default_factory=list)  # x0, x1, top, bottom, srcsize (px)


def page_glyphs(pdf_path) -> list[PageGlyphs]:
    """Every page's characters, in the order they are drawn, and its rules.

    `pdf_path`: a path, or a PDF open in pdfplumber (its pages parsed once for this and
    for `layout_metrics.measure`)."""
    import pdfplumber

    if not isinstance(pdf_path, pdfplumber.PDF):
        with pdfplumber.open(pdf_path) as pdf:
            return page_glyphs(pdf)
    pages = []
    for page in pdf_path.pages:
        chars = [{"text": c["text"], "x0": c["x0"], "x1": c["x1"], "top": c["top"],
                  "bottom": c["bottom"], "size": c["size"],
                  "baseline": page.height - c["matrix"][5],
                  "font": c["fontname"].split("+")[-1]} for c in page.chars]
        below = [c for c in chars if c["top"] > COLUMN_BOTTOM + 2]
        number = "".join(c["text"] for c in below).replace(" ", "")
        if below and PAGE_NUMBER.match(number):
            chars = [c for c in chars if c["top"] <= COLUMN_BOTTOM + 2]
        else:
            number = ""
        images = [{"x0": i["x0"], "x1": i["x1"], "top": i["top"], "bottom": i["bottom"],
                   "srcsize": tuple(int(n) for n in i["srcsize"])} for i in page.images]
        pages.append(PageGlyphs(chars, number,
                                [(r["x0"], r["x1"], r["top"]) for r in page.rects], images))
    return pages


@dataclass
class BuiltIssue:
    """A corpus issue built and read back: its PDF, measured (layout_metrics.Layout), its
    pages' glyphs, the build's preflight findings; or the error that stopped it."""
    number: int
    pdf: Path | None = None
    layout: object = None
    pages: list[PageGlyphs] = field(default_factory=list)
    preflight: list = field(default_factory=list)
    error: BaseException | None = None
    seconds: float = 0.0


def build_and_read(project: Path, numbers: list[int], portable_errors: bool = False
                   ) -> list[BuiltIssue]:
    """Build each issue of `numbers` in `project` with one warm renderer, then read its
    PDF back in one pdfplumber pass (`layout_metrics.measure` and `page_glyphs`).

    Runs in the test process or in a worker process; there, `portable_errors` turns each
    error into a RuntimeError holding its traceback, which any process can unpickle.
    """
    import time
    import traceback

    import pdfplumber

    from bulletin.pipeline import build_issue
    from bulletin.typeset.render import Renderer
    from layout_metrics import measure

    renderer = Renderer(project)
    built = []
    for number in numbers:
        item = BuiltIssue(number)
        begun = time.perf_counter()
        try:
            item.pdf = build_issue(project, number, project / "build" / f"{number}.pdf",
                                   renderer=renderer, on_preflight=item.preflight.extend)
            with pdfplumber.open(item.pdf) as pdf:  # each page's glyphs parsed once, for both
                item.layout = measure(pdf)
                item.pages = page_glyphs(pdf)
        except Exception as exc:  # noqa: BLE001 - reported by every test of this issue
            item.error = (RuntimeError("".join(traceback.format_exception(exc)))
                          if portable_errors else exc)
        item.seconds = time.perf_counter() - begun
        built.append(item)
    return built


def _text_bottom(page: PageGlyphs) -> float | None:
    """The foot of the grid line that holds the page's last body or title character."""
    tops = [c["top"] for c in page.chars if c["size"] > 15.5 and c["text"].strip()]
    if not tops:
        return None
    return GRID_TOP + (int((max(tops) - GRID_TOP) // GRID_PITCH) + 1) * GRID_PITCH


def last_page_room(pages: list[PageGlyphs]) -> tuple[int, int, bool]:
    """(page, free grid lines, 报尾 alone): the page where the text ends, how many whole
    grid lines stay empty between its last line and the 报尾 (or, when the 报尾 has a
    page of its own, the column's foot)."""
    bottom = _text_bottom(pages[-1])
    if bottom is None:
        index = len(pages) - 1
        while index > 1 and _text_bottom(pages[index - 1]) is None:
            index -= 1  # a blank page inserted for even-page placement
        bottom = _text_bottom(pages[index - 1])
        return index, int((COLUMN_BOTTOM - bottom + 1) // GRID_PITCH), True
    rules = [top for x0, x1, top in pages[-1].rules
             if abs(x0 - 28 * MM) < 2 and abs(x1 - 184 * MM) < 2 and top > bottom - 1]
    rule = min(rules, default=COLUMN_BOTTOM)
    return len(pages), int((rule - bottom + 1) // GRID_PITCH), False
