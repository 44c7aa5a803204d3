"""The choice lists of the survey form (附件2), in the form's own wording and order."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..models import (
    EmploymentStatus,
)


class TrainingReceived(models.TextChoices):
    SKILL = "skill", _("技能培训")
    STARTUP = "startup", _("创业培训")
    NONE = "none", _("从未接受过培训")


class Certificate(models.TextChoices):
    JUNIOR = "junior", _("初级职业资格证书")
    INTERMEDIATE = "intermediate", _("中级职业资格证书")
    SENIOR = "senior", _("高级职业资格证书")
    TECHNICIAN = "technician", _("技师或高级技师证")
    OTHER = "other", _("其他")
    NONE = "none", _("无")


class Industry(models.TextChoices):
    AGRICULTURE = "agriculture", _("农林牧渔业")
    MINING = "mining", _("采矿业")
    MANUFACTURING = "manufacturing", _("制造业")
    CONSTRUCTION = "construction", _("建筑业")
    TRANSPORT = "transport", _("交通运输、物流、仓储和邮政业")
    TRADE = "trade", _("批发和零售业")
    HOSPITALITY = "hospitality", _("住宿和餐饮业")
    REAL_ESTATE = "real_estate", _("房地产业")
    SERVICES = "services", _("居民服务和商业服务业")
    UTILITIES = "utilities", _("电力燃气及水的生产和供应业")
    IT = "it", _("信息传输和软件业")
    FINANCE_EDUCATION = "finance_education", _("金融业、教育业")
    OTHER = "other", _("其他请说明")


class DestinationRegion(models.TextChoices):
    YANGTZE = "yangtze", _("长三角地区")
    PEARL = "pearl", _("珠三角地区")
    OTHER = "other", _("其他地区")


class Destination(models.TextChoices):
    SHANGHAI = "shanghai", _("上海")
    JIANGSU = "jiangsu", _("江苏")
    ZHEJIANG = "zhejiang", _("浙江")
    HEFEI = "hefei", _("安徽省合肥市")
    MAANSHAN = "maanshan", _("安徽省马鞍山市")
    GUANGZHOU = "guangzhou", _("广州")
    SHENZHEN = "shenzhen", _("深圳")
    ZHUHAI = "zhuhai", _("珠海")
    DONGGUAN = "dongguan", _("东莞")
    FOSHAN = "foshan", _("佛山")
    HUIZHOU = "huizhou", _("惠州")
    JIANGMEN = "jiangmen", _("江门")
    ZHAOQING = "zhaoqing", _("肇庆")


DESTINATIONS_OF = {
    DestinationRegion.YANGTZE: Destination.values[:5],
    DestinationRegion.PEARL: Destination.values[5:],
}


class Channel(models.TextChoices):
    LABOUR_BUREAU = "labour_bureau", _("人力资源保障部门组织")
    SELF = "self", _("自发")
    RELATIVES = "relatives", _("亲朋好友介绍")
    OTHER_DEPARTMENT = "other_department", _("其他部门组织")
    OTHER = "other", _("其他")


class StartupSupport(models.TextChoices):
    RETURN_FUND = "return_fund", _("返乡创业资金帮扶")
    GUARANTEED_LOAN = "guaranteed_loan", _("小额担保贷款")
    RENT_SUBSIDY = "rent_subsidy", _("创业场地租金补助")
    STARTUP_REWARD = "startup_reward", _("自主创业奖励")
    GRADUATE_REWARD = "graduate_reward", _("高校毕业生创业奖励")
    INCUBATOR = "incubator", _("入住孵化园")


class NotWorkingReason(models.TextChoices):
    SKILLS = "skills", _("缺乏技能")
    INFORMATION = "information", _("缺少信息")
    LOW_WAGES = "low_wages", _("嫌工资少")
    UNABLE = "unable", _("无劳动能力")
    UNWILLING = "unwilling", _("不愿就业")
    FARMING_ONLY = "farming_only", _("只愿务农")
    AGE = "age", _("年龄偏大")


class WishedLocation(models.TextChoices):
    OUTSIDE_PROVINCE = "outside_province", _("省外")
    IN_PROVINCE = "in_province", _("省内市外")
    IN_CITY = "in_city", _("市内县外")
    IN_COUNTY = "in_county", _("县内乡外")
    IN_TOWNSHIP = "in_township", _("乡内")


class WishedForm(models.TextChoices):
    EMPLOYEE = "employee", _("单位就业")
    STARTUP = "startup", _("自主创业")
    FLEXIBLE = "flexible", _("灵活就业")
    FARMING = "farming", _("务农")
    UNWILLING = "unwilling", _("不愿就业")


class EmployerType(models.TextChoices):
    STATE = "state", _("国有企业就业")
    PRIVATE = "private", _("民营企业就业")
    INDIVIDUAL = "individual", _("个体工商就业")
    PUBLIC = "public", _("机关事业单位就业")
    OTHER = "other", _("其他类型就业")
    HMT = "hmt", _("港澳台投资企业")
    FOREIGN = "foreign", _("外商投资企业")


class YesNo(models.TextChoices):
    YES = "yes", _("是")
    NO = "no", _("否")


class TrainingKind(models.TextChoices):
    STARTUP = "startup", _("创业培训")
    SKILL = "skill", _("技能培训")


class Trade(models.TextChoices):
    COOK = "cook", _("中式烹调师")
    RESTAURANT = "restaurant", _("餐厅服务")
    HOUSEKEEPING = "housekeeping", _("家政服务员")
    ELECTRICIAN = "electrician", _("电工")
    WELDER = "welder", _("焊工")
    TURNER = "turner", _("车工")
    FITTER = "fitter", _("钳工")
    GRINDER = "grinder", _("磨工")
    DRIVER = "driver", _("汽车驾驶、维修工")
    BUILDER = "builder", _("建筑工")
    APPLIANCES = "appliances", _("电器维修")
    BEAUTY = "beauty", _("美容美发")
    COMPUTER = "computer", _("计算机操作、维修工")
    EXCAVATOR = "excavator", _("挖掘、装载操作")
    FARMING = "farming", _("种植养殖")
    OTHER = "other", _("其他请说明")


WORKING = (EmploymentStatus.MIGRANT, EmploymentStatus.LOCAL)
NOT_WORKING = (EmploymentStatus.FARMING, EmploymentStatus.OTHER)

# Reasons for not working that rule work out: a laborer whose latest survey gives one of them
# is not among those who want work (the two 100% targets, docs/monthly-report.md).
NO_WORK_WANTED = (
    NotWorkingReason.UNABLE,
    NotWorkingReason.UNWILLING,
    NotWorkingReason.FARMING_ONLY,
)


def wants_work(answers: dict) -> bool:
    """Working, or not working for a reason other than 无劳动能力, 不愿就业 or 只愿务农."""
    if answers.get("employment_status") in WORKING:
        return True
    return not set(answers.get("reasons") or ()) & set(NO_WORK_WANTED)
