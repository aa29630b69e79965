"""Code lists of the registry (GB/T 3304 ethnicities, GB/T 26341 categories, GB/T 2261 marriage …)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# GB/T 3304-1991: the 56 ethnic groups in their standard order, codes 01–56.
ETHNICITY_CHOICES = [
    ("01", _("汉族")), ("02", _("蒙古族")), ("03", _("回族")), ("04", _("藏族")),
    ("05", _("维吾尔族")), ("06", _("苗族")), ("07", _("彝族")), ("08", _("壮族")),
    ("09", _("布依族")), ("10", _("朝鲜族")), ("11", _("满族")), ("12", _("侗族")),
    ("13", _("瑶族")), ("14", _("白族")), ("15", _("土家族")), ("16", _("哈尼族")),
    ("17", _("哈萨克族")), ("18", _("傣族")), ("19", _("黎族")), ("20", _("傈僳族")),
    ("21", _("佤族")), ("22", _("畲族")), ("23", _("高山族")), ("24", _("拉祜族")),
    ("25", _("水族")), ("26", _("东乡族")), ("27", _("纳西族")), ("28", _("景颇族")),
    ("29", _("柯尔克孜族")), ("30", _("土族")), ("31", _("达斡尔族")), ("32", _("仫佬族")),
    ("33", _("羌族")), ("34", _("布朗族")), ("35", _("撒拉族")), ("36", _("毛南族")),
    ("37", _("仡佬族")), ("38", _("锡伯族")), ("39", _("阿昌族")), ("40", _("普米族")),
    ("41", _("塔吉克族")), ("42", _("怒族")), ("43", _("乌孜别克族")), ("44", _("俄罗斯族")),
    ("45", _("鄂温克族")), ("46", _("德昂族")), ("47", _("保安族")), ("48", _("裕固族")),
    ("49", _("京族")), ("50", _("塔塔尔族")), ("51", _("独龙族")), ("52", _("鄂伦春族")),
    ("53", _("赫哲族")), ("54", _("门巴族")), ("55", _("珞巴族")), ("56", _("基诺族")),
]
assert len(ETHNICITY_CHOICES) == 56


class Category(models.IntegerChoices):
    """残疾类别 (GB/T 26341-2010): the certificate's 19th digit."""

    VISION = 1, _("视力残疾")
    HEARING = 2, _("听力残疾")
    SPEECH = 3, _("言语残疾")
    PHYSICAL = 4, _("肢体残疾")
    INTELLECTUAL = 5, _("智力残疾")
    MENTAL = 6, _("精神残疾")
    MULTIPLE = 7, _("多重残疾")


class Grade(models.IntegerChoices):
    """残疾等级: 一级 most severe … 四级 least; the certificate's 20th digit."""

    ONE = 1, _("一级")
    TWO = 2, _("二级")
    THREE = 3, _("三级")
    FOUR = 4, _("四级")



class Sex(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class HukouType(models.TextChoices):
    URBAN = "urban", _("城镇")
    AGRICULTURAL = "agricultural", _("农业（牧业）")


class MaritalStatus(models.TextChoices):
    """GB/T 2261.2 婚姻状况."""

    UNMARRIED = "10", _("未婚")
    MARRIED = "20", _("已婚")
    WIDOWED = "30", _("丧偶")
    DIVORCED = "40", _("离婚")


class EducationLevel(models.TextChoices):
    NONE = "none", _("未上过学")
    PRESCHOOL = "preschool", _("学前教育")
    PRIMARY = "primary", _("小学")
    JUNIOR = "junior", _("初中")
    SENIOR = "senior", _("高中/中专")
    COLLEGE = "college", _("大学专科")
    BACHELOR = "bachelor", _("大学本科")
    GRADUATE = "graduate", _("研究生")


class LifeStatus(models.TextChoices):
    ACTIVE = "active", _("在册")
    DECEASED = "deceased", _("死亡")
    MOVED_OUT = "moved_out", _("迁出")
    CANCELLED = "cancelled", _("注销")


class AssistanceKind(models.TextChoices):
    """Social-assistance statuses set by civil affairs (民政救助身份)."""

    DIBAO = "dibao", _("低保")
    NEAR_DIBAO = "near_dibao", _("低保边缘")
    EXTREME_POVERTY = "extreme_poverty", _("特困供养")
    LOW_INCOME = "low_income", _("低收入")


class Relation(models.TextChoices):
    """Relation to the head of the household (与户主关系)."""

    HEAD = "head", _("户主")
    SPOUSE = "spouse", _("配偶")
    CHILD = "child", _("子女")
    PARENT = "parent", _("父母")
    GRANDPARENT = "grandparent", _("祖父母/外祖父母")
    GRANDCHILD = "grandchild", _("孙子女/外孙子女")
    SIBLING = "sibling", _("兄弟姐妹")
    OTHER = "other", _("其他")


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("有效")
    EXPIRED = "expired", _("过期")
    FROZEN = "frozen", _("冻结")
    CANCELLED = "cancelled", _("注销")
    REPLACED = "replaced", _("补发替换")


class WgAnswer(models.IntegerChoices):
    """Washington Group Short Set answer scale."""

    NO_DIFFICULTY = 1, _("没有困难")
    SOME = 2, _("有些困难")
    A_LOT = 3, _("很困难")
    CANNOT = 4, _("完全做不到")


WG_DOMAINS = [
    ("wg_seeing", _("看（即使戴眼镜）")),
    ("wg_hearing", _("听（即使戴助听器）")),
    ("wg_walking", _("走路或爬台阶")),
    ("wg_remembering", _("记忆或集中注意力")),
    ("wg_self_care", _("自理（如洗澡、穿衣）")),
    ("wg_communicating", _("用惯用语言沟通")),
]
