"""Facts of the fictional example applicants written by tools/make_more_examples.py."""

from __future__ import annotations

import datetime as dt


def _company(**facts):
    return facts


def national(narrative, base_documents, pdf):
    c = _company(
        name="江苏恒锐电气股份有限公司",
        year=2020,
        founded=1998,
        ownership="股份制（民营控股）",
        city="江苏省常州市",
        subsidiaries_text="常州恒锐开关有限公司、恒锐智能配电（南京）有限公司和恒锐电气（香港）有限公司",
        staff=11000,
        rd_staff=1600,
        assets="186.5亿元",
        debt="48.2%",
        revenue_text="120亿元",
        profit_text="72000万元",
        products="智能中压开关柜、环网柜和智能配电终端",
        share="12.5%",
        industry="输配电设备",
        rank="全国第六",
        center_year=2003,
        leader="首席专家陈立新教授级高工",
        rd_text="48000万元",
        rd_ratio="4.0%",
        rd_history=[39600, 43100],
        rd_expense=48000,
        equipment_text="36000万元",
        focus="智能配电和新型电力系统装备",
        new_products=23,
        core_tech="中压真空灭弧、配电物联网边缘计算",
        patents=160,
        np_text="540000万元",
        strategy="数字化、低碳化的新型电力系统装备",
    )
    evidence, docs = base_documents(
        c["name"],
        [
            ("commitment_letter", "承诺书"),
            ("stat_107_1", "107-1表"),
            ("stat_107_2", "107-2表"),
            ("audit_report", "审计报告"),
        ],
        missing="audit_report",
    )
    evidence["external_experts"] = [{"file": "evidence/外部专家工作证明.pdf", "count": 96}]
    evidence["new_product_appraisals"] = [{"file": "evidence/新产品鉴定证书.pdf", "count": 3}]
    docs["evidence/外部专家工作证明.pdf"] = (
        "外部专家工作证明",
        [f"单位：{c['name']}", "外部专家累计96人月"],
        [],
    )
    docs["evidence/新产品鉴定证书.pdf"] = ("新产品鉴定证书", [f"单位：{c['name']}", "新产品3项通过鉴定"], [])
    platforms = [
        ("智能配电装备国家地方联合工程研究中心", "national", dt.date(2015, 12, 1)),
        ("江苏省智能配电工程技术研究中心", "provincial", dt.date(2012, 6, 1)),
        ("江苏省电力装备重点实验室", "provincial", dt.date(2016, 9, 1)),
        ("江苏省企业技术中心", "provincial", dt.date(2008, 3, 1)),
    ]
    labs = [
        ("恒锐高压试验站", "CNAS L30211", dt.date(2024, 5, 31)),
        ("恒锐电磁兼容实验室", "CNAS L30587", dt.date(2023, 11, 30)),
    ]
    standards = [
        ("GB/T 40097-2020", "national", "lead", 2020),
        ("GB/T 37136-2018", "national", "participate", 2018),
        ("DL/T 2045-2019", "industry", "lead", 2019),
        ("NB/T 42132-2019", "industry", "participate", 2019),
        ("JB/T 13788-2020", "industry", "participate", 2020),
    ]
    items = {
        "platforms": [
            {"name": n, "level": lv, "approved": d, "evidence": f"evidence/平台-{i + 1}.pdf"}
            for i, (n, lv, d) in enumerate(platforms)
        ],
        "labs": [
            {
                "name": n,
                "level": "national",
                "accreditation": a,
                "valid_until": v,
                "evidence": f"evidence/认可证书-{i + 1}.pdf",
            }
            for i, (n, a, v) in enumerate(labs)
        ],
        "standards": [
            {
                "name": f"标准{code}",
                "code": code,
                "level": lv,
                "role": r,
                "year": yr,
                "evidence": f"evidence/标准-{code.replace('/', '-').replace(' ', '')}.pdf",
            }
            for code, lv, r, yr in standards
        ],
        "awards": [
            {
                "name": "国家科学技术进步奖",
                "project": "智能配电网关键设备研制及应用",
                "level": "national",
                "grade": "second",
                "year": 2019,
                "evidence": "evidence/国家科技进步奖证书.pdf",
            }
        ],
    }
    for item in items["platforms"]:
        docs[item["evidence"]] = (
            "研发平台批复文件",
            [f"依托单位：{c['name']}", f"平台名称：{item['name']}"],
            [],
        )
    for item in items["labs"]:
        docs[item["evidence"]] = ("实验室认可证书", [f"机构：{item['name']}"], [item["accreditation"]])
    for item in items["standards"]:
        docs[item["evidence"]] = ("标准文本（署名页）", [f"起草单位：{c['name']}"], [item["code"]])
    docs["evidence/国家科技进步奖证书.pdf"] = (
        "国家科学技术进步奖证书",
        ["项目名称：智能配电网关键设备研制及应用"],
        [],
    )
    answers = {
        "program": "national-etc-2021",
        "profile": {
            "company_name": c["name"],
            "credit_code": "91320400MA1XR2K849",
            "address": "江苏省常州市新北区恒锐路8号",
            "industry_code": "38",
            "report_year": 2020,
            "application_type": "认定",
            "ownership": c["ownership"],
            "legal_representative": "周国平",
            "center_director": "陈立新",
            "contact": "王晓雯",
            "phone": "0519-85550188",
            "email": "rd@hengrui-elec.cn",
            "report_date": dt.date(2021, 9, 20),
        },
        "data": {
            "main_revenue": 1200000,
            "rd_expense": 48000,
            "rd_staff": 1600,
            "total_staff": 11000,
            "center_experts_phds": 42,
            "external_expert_months": 96,
            "valid_invention_patents": 160,
            "rd_projects": 140,
            "research_projects": 14,
            "equipment_value": 36000,
            "patent_applications": 85,
            "invention_patent_applications": 41,
            "new_product_revenue": 540000,
            "new_product_profit": 30000,
            "total_profit": 72000,
        },
        "items": items,
        "narrative": narrative(c),
        "evidence": evidence,
    }
    return answers, docs


def gansu_etc(narrative, base_documents, pdf):
    c = _company(
        name="兰州金诚新材料科技有限公司",
        year=2021,
        founded=2006,
        ownership="民营",
        city="甘肃省兰州市",
        subsidiaries_text="兰州金诚耐火材料有限公司和白银金诚新材料有限公司",
        staff=620,
        rd_staff=90,
        assets="5.2亿元",
        debt="39.6%",
        revenue_text="36000万元",
        profit_text="2520万元",
        products="高性能耐火材料和陶瓷纤维制品",
        share="6.8%",
        industry="耐火材料",
        rank="西北地区第一",
        center_year=2012,
        leader="总工程师刘振华高级工程师",
        rd_text="1080万元",
        rd_ratio="3.0%",
        rd_history=[860, 950],
        rd_expense=1080,
        equipment_text="820万元",
        focus="节能型耐火材料",
        new_products=4,
        core_tech="低导热复合耐火材料制备",
        patents=8,
        np_text="5400万元",
        strategy="绿色低碳新材料",
    )
    evidence, docs = base_documents(
        c["name"],
        [
            ("self_evaluation_form", "自评表-盖章"),
            ("commitment_letter", "承诺书"),
            ("stat_107_2", "107-2表"),
            ("audit_report", "审计报告"),
        ],
        missing="stat_107_2",
    )
    evidence["achievement_filings"] = [{"file": "evidence/科技成果备案.pdf", "count": 3}]
    evidence["new_tech_filings"] = [{"file": "evidence/新产品新技术备案.pdf", "count": 4}]
    docs["evidence/科技成果备案.pdf"] = (
        "科技成果登记证明",
        [f"单位：{c['name']}", "近三年科技成果备案3项"],
        [],
    )
    docs["evidence/新产品新技术备案.pdf"] = (
        "新产品新技术新工艺备案证明",
        [f"单位：{c['name']}", "备案项目4项"],
        [],
    )
    staff = [
        ("刘振华", "senior", "master"),
        ("王建军", "senior", "bachelor"),
        ("赵丽", "senior", "master"),
        ("孙海涛", "senior", "bachelor"),
        ("马骁", "none", "phd"),
        ("杜晓宁", "none", "phd"),
    ]
    apps = [
        ("202110455321.6", "invention", dt.date(2021, 3, 12)),
        ("202111032874.1", "invention", dt.date(2021, 9, 2)),
        ("202120611287.3", "utility", dt.date(2021, 3, 20)),
        ("202120925531.0", "utility", dt.date(2021, 4, 28)),
        ("202121987415.2", "utility", dt.date(2021, 8, 16)),
        ("202130540266.8", "design", dt.date(2021, 8, 30)),
    ]
    items = {
        "staff": [
            {"name": n, "title": t, "degree": d, "evidence": "evidence/职称学位证书.pdf"} for n, t, d in staff
        ],
        "patent_applications": [
            {"number": n, "type": t, "filed": f, "evidence": "evidence/专利受理通知书.pdf"}
            for n, t, f in apps
        ],
        "software_copyrights": [
            {
                "number": "2021SR0734512",
                "title": "耐火材料配料优化系统V1.0",
                "registered": dt.date(2021, 5, 18),
                "evidence": "evidence/软件著作权登记证书.pdf",
            }
        ],
        "standards": [
            {
                "code": "YB/T 4932-2021",
                "level": "industry",
                "role": "lead",
                "year": 2020,
                "evidence": "evidence/标准-YB-T-4932.pdf",
            },
            {
                "code": "T/GSCS 012-2021",
                "level": "group",
                "role": "participate",
                "year": 2021,
                "evidence": "evidence/标准-T-GSCS-012.pdf",
            },
        ],
        "platforms": [
            {
                "name": "甘肃省耐火材料工程技术研究中心",
                "level": "provincial",
                "approved": dt.date(2017, 11, 3),
                "evidence": "evidence/平台批文.pdf",
            }
        ],
        "labs": [
            {
                "name": "金诚耐火材料检测中心",
                "level": "national",
                "accreditation": "CNAS L12866",
                "valid_until": dt.date(2025, 3, 31),
                "evidence": "evidence/CNAS认可证书.pdf",
            }
        ],
        "awards": [
            {
                "name": "甘肃省科学技术进步奖",
                "project": "低导热复合耐火材料研发及产业化",
                "level": "provincial",
                "grade": "second",
                "year": 2020,
                "evidence": "evidence/省科技进步奖证书.pdf",
            }
        ],
    }
    docs["evidence/职称学位证书.pdf"] = (
        "职称及学位证书汇编",
        [f"单位：{c['name']}", "、".join(s[0] for s in staff)],
        [],
    )
    docs["evidence/专利受理通知书.pdf"] = (
        "专利申请受理通知书汇编",
        [f"申请人：{c['name']}"],
        [a[0] for a in apps],
    )
    docs["evidence/软件著作权登记证书.pdf"] = (
        "计算机软件著作权登记证书",
        [f"著作权人：{c['name']}"],
        ["2021SR0734512"],
    )
    docs["evidence/标准-YB-T-4932.pdf"] = (
        "标准文本（署名页）",
        [f"起草单位：{c['name']}"],
        ["YB/T 4932-2021"],
    )
    docs["evidence/标准-T-GSCS-012.pdf"] = (
        "标准文本（署名页）",
        [f"起草单位：{c['name']}"],
        ["T/GSCS 012-2021"],
    )
    docs["evidence/平台批文.pdf"] = (
        "省级工程技术研究中心认定文件",
        ["甘肃省耐火材料工程技术研究中心", f"依托单位：{c['name']}"],
        [],
    )
    docs["evidence/CNAS认可证书.pdf"] = ("实验室认可证书", ["金诚耐火材料检测中心"], ["CNAS L12866"])
    docs["evidence/省科技进步奖证书.pdf"] = (
        "甘肃省科学技术进步奖证书",
        ["项目：低导热复合耐火材料研发及产业化"],
        [],
    )
    answers = {
        "program": "gansu-etc-2022",
        "profile": {
            "company_name": c["name"],
            "credit_code": "91620100MA72KX5R31",
            "address": "甘肃省兰州市七里河区金诚路6号",
            "industry_code": "30",
            "report_year": 2021,
            "application_type": "认定",
            "ownership": "民营",
            "legal_representative": "金志成",
            "contact": "李娜",
            "phone": "0931-2356781",
            "report_date": dt.date(2022, 4, 15),
        },
        "data": {
            "main_revenue": 36000,
            "rd_expense": 1080,
            "rd_staff": 90,
            "total_staff": 620,
            "valid_invention_patents": 8,
            "achievements_3y": 3,
            "equipment_value": 820,
            "rd_platforms_national": 0,
            "new_tech_projects": 4,
            "new_product_revenue": 5400,
            "total_profit": 2520,
        },
        "items": items,
        "narrative": narrative(c),
        "evidence": evidence,
    }
    return answers, docs


def _institute(name: str, year: int, city: str, focus: str, leader: str, patents: int) -> dict:
    return _company(
        name=name,
        year=year,
        founded=1978,
        ownership="国有（事业单位转制企业）",
        city=city,
        subsidiaries_text="检测认证公司和技术服务公司两家全资子公司",
        staff=310,
        rd_staff=120,
        assets="3.4亿元",
        debt="28.5%",
        revenue_text="1.2亿元",
        profit_text="1860万元",
        products="行业共性技术服务和检测认证",
        share="省内30%以上",
        industry=focus,
        rank="省内同类机构第一",
        center_year=2015,
        leader=leader,
        rd_text="650万元",
        rd_ratio="5.4%",
        rd_history=[520, 580],
        rd_expense=650,
        equipment_text="1300万元",
        focus=focus,
        new_products=6,
        core_tech=f"{focus}关键共性技术",
        patents=patents,
        np_text="3800万元",
        strategy=f"{focus}数字化和绿色化",
    )


def gansu_itc(narrative, base_documents, pdf):
    c = _institute(
        "甘肃省建材行业技术中心（甘肃建材科学研究院有限公司）",
        2021,
        "甘肃省兰州市",
        "建材",
        "院长高维民研究员",
        1,
    )
    evidence, docs = base_documents(
        c["name"],
        [
            ("self_evaluation_form", "自评表-盖章"),
            ("commitment_letter", "承诺书"),
            ("audit_report", "审计报告"),
            ("organization_documents", "组织机构文件"),
            ("management_rules", "管理制度汇编"),
            ("development_plan", "中长期发展规划"),
            ("equipment_list", "研发设备清单"),
            ("project_contracts", "科研项目任务书"),
            ("industry_report", "行业发展报告"),
            ("service_revenue_proof", "服务收入证明"),
        ],
        missing="project_contracts",
    )
    evidence["staff_roster"] = [{"file": "evidence/专职研发人员名册.pdf", "count": 72}]
    evidence["training_records"] = [{"file": "evidence/培训记录.pdf", "count": 3}]
    evidence["solved_problem_records"] = [{"file": "evidence/技术难题佐证.pdf", "count": 6}]
    for path, title in (
        ("evidence/专职研发人员名册.pdf", "专职研发人员名册（72人）"),
        ("evidence/培训记录.pdf", "行业技术培训记录（3次）"),
        ("evidence/技术难题佐证.pdf", "为企业解决技术难题佐证资料（6项）"),
    ):
        docs[path] = (title, [f"单位：{c['name']}"], [])
    items = {
        "invention_patents": [
            {
                "number": "ZL202010562317.4",
                "title": "一种低碱水泥熟料的制备方法",
                "granted": dt.date(2021, 6, 22),
                "evidence": "evidence/专利证书-ZL202010562317.4.pdf",
            }
        ],
        "standards": [
            {
                "code": "DB62/T 4312-2021",
                "level": "local",
                "role": "lead",
                "year": 2021,
                "evidence": "evidence/标准-DB62-T-4312.pdf",
            },
            {
                "code": "JC/T 2622-2020",
                "level": "industry",
                "role": "participate",
                "year": 2020,
                "evidence": "evidence/标准-JC-T-2622.pdf",
            },
            {
                "code": "GB/T 38134-2019",
                "level": "national",
                "role": "participate",
                "year": 2019,
                "evidence": "evidence/标准-GB-T-38134.pdf",
            },
        ],
    }
    docs["evidence/专利证书-ZL202010562317.4.pdf"] = (
        "发明专利证书",
        [f"专利权人：{c['name']}"],
        ["ZL202010562317.4"],
    )
    for item in items["standards"]:
        docs[item["evidence"]] = ("标准文本（署名页）", [f"起草单位：{c['name']}"], [item["code"]])
    answers = {
        "program": "gansu-itc-2022",
        "profile": {
            "company_name": c["name"],
            "address": "甘肃省兰州市城关区建材路19号",
            "credit_code": "91620100MA73LY2D9P",
            "industry_code": "74",
            "report_year": 2021,
            "application_type": "认定",
            "legal_representative": "高维民",
            "contact": "张敏",
            "phone": "0931-8612245",
            "report_date": dt.date(2022, 4, 18),
        },
        "data": {
            "equipment_value": 1300,
            "fulltime_rd_staff": 72,
            "senior_professors": 4,
            "rd_expense": 650,
            "rd_expense_3y": 1750,
            "provincial_projects": 2,
            "bureau_projects": 1,
            "provincial_awards": 1,
            "social_awards": 2,
            "utility_grants": 2,
            "other_ip": 1,
            "periodicals": 4,
            "trainings": 3,
            "solved_problems": 6,
            "service_revenue": 820,
            "promoted_new_product_revenue": 3800,
            "breakthroughs": 1,
            "academicians": 0,
            "national_talents": 1,
            "provincial_leading_talents": 1,
            "assigned_tasks": 2,
            "national_award_projects": 0,
        },
        "items": items,
        "ratings": {
            "organization": "很完善",
            "management": "比较完善",
            "planning": "良好",
            "industry_report": "良好",
        },
        "narrative": narrative(c),
        "evidence": evidence,
    }
    return answers, docs


def _alliance_narrative(year: int) -> dict[str, str]:
    """Returns the alliance outline's sections (outlines/gansu-alliance-application.yaml): the
    alliance's formation, members and agreement, the 自评表's 一级指标 one chapter each, and its
    development goals, quoting the example's figures."""
    y = year
    return {
        "1.1": (
            "甘肃陇药中药材产业技术创新联盟由甘肃陇药科技集团有限公司牵头组建。中药材是我省发展重点领域之一，"
            "当归、党参、黄芪等道地药材种植面积和产量居全国前列，但全省中药材产业经营主体多而分散，"
            "种苗繁育、产地加工和质量控制等技术亟待突破，加工水平有待提高，初加工产品多、精深加工产品少。\n\n"
            "为集中省内企业、高等院校和科研院所的力量解决这些共性技术需求，牵头单位于2018年起联合定西、陇南两大主产区的"
            "种植、加工、检测企业和高校、科研院所筹备，经多次协商，联盟于2019年组建，召开成立大会，选举产生理事会，"
            "通过了联盟章程。联盟立足道地药材全产业链的技术创新，为成员单位提供技术、标准和信息服务。"
        ),
        "1.2": (
            "联盟牵头单位甘肃陇药科技集团有限公司成立于2003年，所有制性质为民营，主营中药材种植、饮片加工和提取物生产，"
            "是省内中药材加工的龙头企业，在全省中药材加工企业综合排序中位列前五，设有中药材检测中心和研发中心。\n\n"
            "联盟现有成员单位28家，其中中药材种植、加工、检测企业21家，高等院校2所（甘肃农业大学、甘肃中医药大学），"
            "科研院所5家（其中省级科研院所3家）。企业成员负责技术需求的提出、中试和成果转化，高校和科研院所负责基础研究、"
            "种苗繁育和质量标准研究，牵头单位负责组织联合攻关、共享检测平台和联盟日常运行。\n\n"
            "联盟成立时，全部成员单位签订了联盟协议，共同制定了联盟章程，规定了成员单位的权利和义务：成员有权参加联盟组织的"
            "联合攻关、共享检测平台和技术信息，有义务按分工投入人员和经费、遵守保密约定。联盟的组织机构为理事会、专家委员会"
            "和秘书处，理事长由何兴邦研究员担任，秘书处设在牵头单位。联合攻关形成的成果和知识产权按协议约定归属，"
            "由参与单位共享，转化收益按投入比例分享。"
        ),
        "2.1": (
            "联盟按照协议和章程建立了比较完善的管理制度：一是项目管理制度，联合攻关项目由成员单位提出需求，"
            "专家委员会论证立项，实行项目负责人制，按节点检查验收；二是经费管理制度，项目经费由承担单位单独核算、专账管理，"
            "秘书处每年汇总使用情况；三是保密管理制度，成员单位签订保密协议，未公开的技术资料按密级管理；"
            "四是产学研合作管理制度，企业与高校、科研院所以合作协议明确分工、进度和成果归属。\n\n"
            "理事会每年检查一次制度的执行情况，严格落实各项制度，对执行中发现的问题及时修订完善。"
        ),
        "2.2": (
            "联盟制定了中长期发展规划，规划目标明确：以道地药材全产业链质量提升为方向，用五年时间形成覆盖种苗、种植、"
            "加工、检测的技术和标准体系。规划分为两个阶段，阶段性目标是：前三年突破产地加工和质量检测的关键技术，"
            "后两年推动精深加工产品在成员企业中规模化生产。\n\n"
            "秘书处把阶段性目标分解到年度工作计划和联合攻关任务中，按季度跟踪进度。规划实施以来，"
            "产地加工新工艺和质量标准已在成员企业中推广，实施效果较好；精深加工的部分任务进度偏慢，"
            "理事会已调整年度计划，增加中试投入。"
        ),
        "3.1": (
            "牵头单位甘肃陇药科技集团有限公司重视自主知识产权的创造和保护，设有知识产权专员，"
            "联合攻关的成果及时申请专利。\n\n"
            f"近3年，牵头单位获得发明专利授权2件，分别为2020年授权的ZL201910833762.5和{y}年授权的ZL202010128844.1，"
            "均为中药材加工方法；获得实用新型专利授权4件，主要为饮片切制和干燥设备的改进；外观专利授权、"
            "软件著作权登记等其他知识产权暂无。这些专利已在联盟成员企业的生产线上应用，"
            "牵头单位按联盟协议向成员单位许可使用。"
        ),
        "3.2": (
            "牵头单位积极主持和参与中药材标准的制定，以标准带动全省道地药材质量提升。\n\n"
            "近3年，牵头单位主持制定标准2项：一是地方标准DB62/T 4107-2020，规定了当归产地加工的技术要求，2020年发布；"
            f"二是团体标准T/GSZY 005-2021，规定了党参饮片的质量要求，{y}年发布。两项标准均由联盟成员单位共同起草，"
            "发布后联盟组织了标准宣贯，成员企业按标准组织生产。牵头单位正在参与制定中药材产地加工的行业标准，"
            "尚未发布的不计入上述数量。"
        ),
        "4.1": (
            "联盟集聚成员单位的创新资源：牵头单位的中药材检测中心和两所高校的实验室向成员开放，液相色谱、气相色谱等"
            "检测仪器设备共享使用；专家委员会由11名高校和科研院所专家组成，为成员企业提供技术咨询。\n\n"
            f"{y}年，联盟组织成员联合攻关，解决行业发展关键和共性技术难题3个：当归产地趁鲜切制技术、党参硫磺替代干燥技术、"
            "黄芪种苗分级繁育技术，相关佐证资料已附后。联盟尚未填补国家重大科技技术空白，"
            "今后将在中药材精深加工方向继续攻关。"
        ),
        "4.2": (
            "联盟把联合攻关的成果向成员企业推广，通过工艺改进、产品开发和成果推广为联盟内企业带来效益。\n\n"
            "在工艺改进方面，推广产地趁鲜切制新工艺，加工周期缩短三分之一；推广光伏热泵干燥工艺，减少硫磺熏蒸，"
            "提高了药材安全性。在产品开发方面，成员企业开发配方颗粒原料和提取物新产品三种。"
            f"{y}年，联盟通过工艺改进、产品开发、成果推广等为联盟内企业产生的新产品销售收入6200万元，"
            "由各成员企业出具的收入证明汇总，已附后。"
        ),
        "5.1": (
            "联盟重视高层次人才的引进和培养。目前联盟没有院士（含外聘），也没有国家千人计划等国家级人才；"
            "成员单位中有省领军人才2人，分别在牵头单位和甘肃农业大学，担任种苗繁育和产地加工两个创新团队的带头人。\n\n"
            "联盟理事长何兴邦研究员担任技术带头人，专家委员会的11名专家来自高校和科研院所。联盟与高校联合培养中药材"
            "加工技术人才，每年选派成员企业的技术人员到高校进修，并计划引进博士和高级工程师，"
            "逐步形成一支结构合理的人才队伍。"
        ),
        "6.1": (
            "联盟把学术交流和科技成果推广作为特色工作，面向省内外同行组织具有影响力的活动。\n\n"
            f"{y}年，联盟组织学术和科技成果推广活动2次：一是在定西举办的中药材产地加工技术学术交流会，"
            "邀请国内高校和科研院所的专家作报告，省内外同行参加；二是在陇南举办的道地药材绿色干燥技术成果推广会，"
            "现场观摩示范线，向种植合作社和中小加工企业推广成熟的加工和检测技术。两次活动的通知、议程和影像资料已附后，"
            "活动在行业内产生了较好的影响。"
        ),
        "7.1": (
            "联盟今后3~5年的发展目标是：建成省级中药材产业技术创新平台，形成覆盖种苗、种植、加工、检测的标准体系，"
            "使道地药材品牌影响力进一步提升。\n\n"
            "在关键和共性技术方面，联盟将突破中药材精深加工、绿色干燥和质量追溯技术，力争填补国家重大科技技术空白；"
            "在标准方面，继续主持和参与中药材地方标准、团体标准和行业标准的制定；在服务方面，"
            "使成员企业的精深加工产品收入占比提高到40%，带动更多种植合作社和中小企业加入联盟。\n\n"
            "为实现发展目标，联盟近期的重点任务是：一是部署种苗繁育、绿色干燥、质量追溯等联合攻关项目五项，"
            "组织成员单位分工承担；二是在定西建设中药材加工中试基地和检测平台，向成员开放共享；"
            "三是联合高校培养中药材加工技术人才。\n\n"
            "保障措施方面，联盟将按年度制定工作计划，理事会每半年检查一次重点任务进展；联合攻关项目经费由成员单位按协议投入，"
            "并积极争取各级科技和产业项目支持；秘书处对任务完成情况进行考核，"
            "确保投入、人员和责任落实到位。"
        ),
    }


def gansu_alliance(narrative, base_documents, pdf):
    c = _institute(
        "甘肃陇药中药材产业技术创新联盟（牵头单位：甘肃陇药科技集团有限公司）",
        2021,
        "甘肃省定西市",
        "中药材",
        "联盟理事长何兴邦研究员",
        2,
    )
    evidence, docs = base_documents(
        c["name"],
        [
            ("self_evaluation_form", "自评表-盖章"),
            ("alliance_agreement", "联盟协议及成员名单"),
            ("commitment_letter", "承诺书"),
            ("management_rules", "联盟管理制度"),
            ("development_plan", "联盟发展规划"),
            ("promoted_revenue_proof", "新产品销售收入证明"),
        ],
        missing="development_plan",
    )
    evidence["solved_problem_records"] = [{"file": "evidence/共性技术难题佐证.pdf", "count": 3}]
    evidence["promotion_records"] = [{"file": "evidence/推广活动资料.pdf", "count": 2}]
    docs["evidence/共性技术难题佐证.pdf"] = ("解决行业共性技术难题佐证（3项）", [f"单位：{c['name']}"], [])
    docs["evidence/推广活动资料.pdf"] = ("学术和科技成果推广活动资料（2次）", [f"单位：{c['name']}"], [])
    patents = [("ZL201910833762.5", dt.date(2020, 7, 14)), ("ZL202010128844.1", dt.date(2021, 3, 9))]
    items = {
        "invention_patents": [
            {"number": n, "title": "中药材加工方法", "granted": g, "evidence": f"evidence/专利证书-{n}.pdf"}
            for n, g in patents
        ],
        "standards": [
            {
                "code": "DB62/T 4107-2020",
                "level": "local",
                "role": "lead",
                "year": 2020,
                "evidence": "evidence/标准-DB62-T-4107.pdf",
            },
            {
                "code": "T/GSZY 005-2021",
                "level": "group",
                "role": "lead",
                "year": 2021,
                "evidence": "evidence/标准-T-GSZY-005.pdf",
            },
        ],
    }
    for n, _ in patents:
        docs[f"evidence/专利证书-{n}.pdf"] = ("发明专利证书", [f"专利权人：{c['name']}"], [n])
    for item in items["standards"]:
        docs[item["evidence"]] = ("标准文本（署名页）", [f"起草单位：{c['name']}"], [item["code"]])
    answers = {
        "program": "gansu-alliance-2022",
        "profile": {
            "company_name": "甘肃陇药中药材产业技术创新联盟",
            "lead_unit": "甘肃陇药科技集团有限公司",
            "member_units": "甘肃农业大学、甘肃中医药大学",
            "domain": "中药材",
            "address": "甘肃省定西市安定区陇药大道1号",
            "credit_code": "91621100MA73LY2D94",
            "industry_code": "27",
            "report_year": 2021,
            "application_type": "认定",
            "legal_representative": "何兴邦",
            "contact": "陈静",
            "phone": "0932-8213366",
            "report_date": dt.date(2022, 7, 15),
        },
        "data": {
            "utility_grants_3y": 4,
            "other_ip_3y": 0,
            "solved_problems": 3,
            "national_gaps_filled": 0,
            "promoted_new_product_revenue": 6200,
            "academicians": 0,
            "national_talents": 0,
            "provincial_leading_talents": 2,
            "promotion_events": 2,
        },
        "items": items,
        "ratings": {"management": "比较完善", "planning": "较好"},
        "narrative": _alliance_narrative(2021),
        "evidence": evidence,
    }
    return answers, docs


def gansu_demo(narrative, base_documents, pdf):
    c = _company(
        name="天水华辰机械制造股份有限公司",
        year=2021,
        founded=1965,
        ownership="股份制（国有控股）",
        city="甘肃省天水市",
        subsidiaries_text="天水华辰铸造有限公司和华辰精密传动（西安）有限公司",
        staff=1500,
        rd_staff=150,
        assets="9.8亿元",
        debt="45.1%",
        revenue_text="42000万元",
        profit_text="4000万元",
        products="精密减速机和工业传动装置",
        share="4.2%",
        industry="通用设备",
        rank="西北地区第二",
        center_year=2009,
        leader="总工程师冯建华正高级工程师",
        rd_text="1050万元",
        rd_ratio="2.5%",
        rd_history=[880, 960],
        rd_expense=1050,
        equipment_text="1600万元",
        focus="精密传动",
        new_products=5,
        core_tech="高精度齿轮修形",
        patents=6,
        np_text="10500万元",
        strategy="高端精密传动",
    )
    evidence, docs = base_documents(
        c["name"],
        [
            ("self_evaluation_form", "自评表-盖章"),
            ("commitment_letter", "承诺书"),
            ("stat_107_2", "107-2表"),
            ("audit_report", "审计报告"),
            ("export_proof", "出口创汇证明"),
        ],
        missing="commitment_letter",
    )
    apps = [
        ("202110212876.3", "invention"),
        ("202110893451.9", "invention"),
        ("202120401236.5", "utility"),
        ("202120732198.4", "utility"),
        ("202121344720.6", "utility"),
        ("202121850917.2", "utility"),
        ("202130277634.1", "design"),
    ]
    items = {
        "staff": [
            {
                "name": "冯建华",
                "title": "senior",
                "expert": True,
                "degree": "master",
                "evidence": "evidence/专家及博士证明.pdf",
            },
            {"name": "郑宇", "title": "none", "degree": "phd", "evidence": "evidence/专家及博士证明.pdf"},
            {"name": "韩冬", "title": "senior", "degree": "phd", "evidence": "evidence/专家及博士证明.pdf"},
        ],
        "patent_applications": [
            {
                "number": n,
                "type": t,
                "filed": dt.date(2021, 2 + i, 10),
                "evidence": "evidence/专利受理通知书.pdf",
            }
            for i, (n, t) in enumerate(apps)
        ],
        "standards": [
            {
                "code": "JB/T 14367-2021",
                "level": "industry",
                "role": "participate",
                "year": 2021,
                "evidence": "evidence/标准-JB-T-14367.pdf",
            }
        ],
        "labs": [
            {
                "name": "华辰传动检测中心",
                "level": "national",
                "accreditation": "CNAS L15530",
                "valid_until": dt.date(2024, 10, 31),
                "evidence": "evidence/CNAS认可证书.pdf",
            }
        ],
    }
    docs["evidence/专家及博士证明.pdf"] = (
        "高级专家及博士证明",
        [f"单位：{c['name']}", "冯建华、郑宇、韩冬"],
        [],
    )
    docs["evidence/专利受理通知书.pdf"] = (
        "专利申请受理通知书汇编",
        [f"申请人：{c['name']}"],
        [a[0] for a in apps],
    )
    docs["evidence/标准-JB-T-14367.pdf"] = (
        "标准文本（署名页）",
        [f"起草单位：{c['name']}"],
        ["JB/T 14367-2021"],
    )
    docs["evidence/CNAS认可证书.pdf"] = ("实验室认可证书", ["华辰传动检测中心"], ["CNAS L15530"])
    answers = {
        "program": "gansu-demo-2022",
        "profile": {
            "company_name": c["name"],
            "address": "甘肃省天水市秦州区华辰路2号",
            "credit_code": "91620500MA71HC6K8P",
            "industry_code": "34",
            "report_year": 2021,
            "application_type": "认定",
            "legal_representative": "吕国强",
            "contact": "周婷",
            "phone": "0938-6612890",
            "report_date": dt.date(2022, 4, 20),
        },
        "data": {
            "main_revenue": 42000,
            "product_sales_revenue": 42000,
            "rd_expense": 1050,
            "rd_ratio_growth": 0.3,
            "rd_staff_avg_income": 14.4,
            "staff_avg_income": 11.2,
            "rd_training_expense": 30,
            "center_staff_income": 1200,
            "external_expert_months": 16,
            "rd_projects": 30,
            "cooperation_projects": 6,
            "long_cycle_projects": 3,
            "rd_staff": 150,
            "total_staff": 1500,
            "equipment_value": 1600,
            "valid_invention_patents": 6,
            "famous_brands": 0,
            "new_tech_projects": 5,
            "new_product_revenue": 10500,
            "new_product_profit": 900,
            "total_profit": 4000,
            "product_sales_profit": 4000,
            "export_earnings": 120,
            "national_award_projects": 0,
            "cash_flow_surplus": 350,
        },
        "items": items,
        "narrative": narrative(c),
        "evidence": evidence,
    }
    return answers, docs


EXAMPLES = {
    "national-etc-2021": national,
    "gansu-etc-2022": gansu_etc,
    "gansu-itc-2022": gansu_itc,
    "gansu-alliance-2022": gansu_alliance,
    "gansu-demo-2022": gansu_demo,
}
