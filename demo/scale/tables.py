"""The shape of the ten-year dataset: how many of what, and the weights that make it look like
the real program (nationalities, host kinds and prefectures, categories, ages, states)."""

from applications.models import ItineraryItem, PlanState
from demo.calls import ASEAN
from institutions.models import Institution
from programs.models import ParticipantCategory

BATCH = 2_000
PROGRAM_CODES = ("scale", "scalenx")
EMAIL_DOMAIN = "scale.invalid"
INSTITUTION_PREFIX = "Scale University"
INSTITUTIONS = 300

# Nationalities weighted like the real program: most invitees come from Asia.
COUNTRY_WEIGHTS = {
    "CN": 20,
    "IN": 10,
    "ID": 9,
    "TH": 8,
    "VN": 8,
    "PH": 6,
    "MY": 6,
    "MN": 3,
    "BD": 3,
    "LK": 3,
    "KH": 2,
    "LA": 2,
    "MM": 2,
    "NP": 2,
    "TW": 2,
    "KR": 2,
    "KE": 1,
    "EG": 1,
    "PK": 1,
    "UZ": 1,
    "KZ": 1,
    "BR": 1,
    "MX": 1,
    "TR": 1,
    "NG": 1,
    "ZA": 1,
    "BT": 1,
}
# Course D is for India and Africa only.
D_COUNTRY_WEIGHTS = {"IN": 10, "KE": 3, "EG": 3, "NG": 2, "ZA": 2, "ET": 1, "GH": 1, "TZ": 1}
NEXUS_COUNTRY_WEIGHTS = {c: w for c, w in COUNTRY_WEIGHTS.items() if c in ASEAN}

# A handful of (family, given, native) names per country; others get romanised names only.
NAMES = {
    "CN": [
        ("Wang", "Fang", "王芳"),
        ("Li", "Wei", "李伟"),
        ("Zhang", "Min", "张敏"),
        ("Liu", "Yang", "刘洋"),
        ("Chen", "Jing", "陈静"),
        ("Zhao", "Lei", "赵磊"),
    ],
    "TW": [("Lin", "Yi-Chen", "林怡君"), ("Huang", "Chih-Hao", "黃志豪")],
    "KR": [("Kim", "Minji", "김민지"), ("Park", "Jisoo", "박지수"), ("Lee", "Seojun", "이서준")],
    "TH": [("Srisuk", "Anong", "อนงค์ ศรีสุข"), ("Chaiyaporn", "Niran", "นิรันดร์ ชัยพร")],
    "MN": [("Bat-Erdene", "Enkhjin", "Бат-Эрдэнэ Энхжин"), ("Dorj", "Saruul", "Дорж Саруул")],
    "IN": [
        ("Sharma", "Priya", "प्रिया शर्मा"),
        ("Patel", "Rahul", "राहुल पटेल"),
        ("Iyer", "Lakshmi", ""),
        ("Singh", "Arjun", "अर्जुन सिंह"),
    ],
    "BD": [("Rahman", "Nusrat", "নুসরাত রহমান"), ("Hossain", "Tanvir", "তানভীর হোসেন")],
    "LK": [("Perera", "Dilini", ""), ("Fernando", "Kasun", "")],
    "NP": [("Shrestha", "Sita", "सीता श्रेष्ठ"), ("Gurung", "Bikash", "")],
    "KH": [("Sok", "Dara", "សុខ ដារា"), ("Chan", "Sophea", "ចាន់ សុភា")],
    "LA": [("Phommachanh", "Noy", "ນ້ອຍ ພົມມະຈັນ"), ("Keomany", "Somphone", "")],
    "MM": [("Aung", "Thiri", "သီရိအောင်"), ("Win", "Zaw", "ဇော်ဝင်း")],
    "EG": [("Hassan", "Mariam", "مريم حسن"), ("Mahmoud", "Omar", "عمر محمود")],
    "ID": [("Santoso", "Dewi", ""), ("Wijaya", "Budi", ""), ("Saputra", "Rizky", "")],
    "VN": [
        ("Nguyen", "Thi Lan", "Nguyễn Thị Lan"),
        ("Tran", "Van Minh", "Trần Văn Minh"),
        ("Le", "Hoang Anh", "Lê Hoàng Anh"),
    ],
    "PH": [("Santos", "Maria", ""), ("Reyes", "Jose", ""), ("Cruz", "Angelica", "")],
    "MY": [("Abdullah", "Nur Aisyah", ""), ("Tan", "Wei Ling", "陈慧玲"), ("Raj", "Kavitha", "")],
    "KE": [("Otieno", "Grace", ""), ("Kamau", "Brian", "")],
}
FALLBACK_NAMES = [
    ("Garcia", "Ana", ""),
    ("Okafor", "Chidi", ""),
    ("Silva", "Lucas", ""),
    ("Karimov", "Aziz", ""),
    ("Yilmaz", "Elif", ""),
    ("Mensah", "Kofi", ""),
]

# Prefecture codes (JIS X 0401) with a heavier weight for the big university regions.
PREFECTURE_WEIGHTS = {f"{code:02d}": 1 for code in range(1, 48)}
PREFECTURE_WEIGHTS.update(
    {"13": 25, "27": 10, "14": 7, "23": 7, "40": 6, "26": 6, "01": 5, "04": 3, "34": 3}
)
KIND_WEIGHTS = {
    Institution.Kind.UNIVERSITY: 70,
    Institution.Kind.KOSEN: 10,
    Institution.Kind.HIGH_SCHOOL: 8,
    Institution.Kind.RESEARCH_AGENCY: 7,
    Institution.Kind.COMPANY: 3,
    Institution.Kind.LOCAL_GOVERNMENT: 2,
}
CATEGORY_WEIGHTS = {
    ParticipantCategory.HIGH_SCHOOL: 12,
    ParticipantCategory.UNDERGRADUATE: 35,
    ParticipantCategory.GRADUATE: 30,
    ParticipantCategory.POSTDOC: 6,
    ParticipantCategory.RESEARCHER: 8,
    ParticipantCategory.TEACHER: 3,
    ParticipantCategory.ESCORT: 6,
}
AGE_RANGES = {
    ParticipantCategory.HIGH_SCHOOL: (15, 18),
    ParticipantCategory.UNDERGRADUATE: (18, 23),
    ParticipantCategory.GRADUATE: (22, 32),
    ParticipantCategory.POSTDOC: (27, 38),
    ParticipantCategory.RESEARCHER: (26, 39),
    ParticipantCategory.TEACHER: (25, 39),
    ParticipantCategory.ESCORT: (28, 39),
}
# Final states of plans in past fiscal years.
PAST_STATES = {
    PlanState.CLOSED: 55,
    PlanState.REPORTED: 25,
    PlanState.REJECTED: 15,
    PlanState.WITHDRAWN: 5,
}
# The current year, by round: decided, in review, open.
CURRENT_STATES = {
    1: {PlanState.APPROVED: 75, PlanState.REJECTED: 20, PlanState.WITHDRAWN: 5},
    2: {PlanState.UNDER_REVIEW: 60, PlanState.SUBMITTED: 40},
    3: {PlanState.SUBMITTED: 50, PlanState.DRAFT: 50},
}
WITH_PARTICIPANTS = {
    PlanState.APPROVED,
    PlanState.IN_PROGRESS,
    PlanState.COMPLETED,
    PlanState.REPORTED,
    PlanState.CLOSED,
}
ACTIVITIES = [
    (ItineraryItem.Kind.LECTURE, "Lecture on current research", "研究紹介の講義"),
    (ItineraryItem.Kind.LAB_WORK, "Laboratory practice", "実験実習"),
    (ItineraryItem.Kind.SITE_VISIT, "Visit to a research facility", "研究施設見学"),
    (ItineraryItem.Kind.STUDENT_EXCHANGE, "Exchange with Japanese students", "学生交流"),
    (ItineraryItem.Kind.CULTURAL, "Japanese culture experience", "日本文化体験"),
]
TOPICS = ["robotics", "water", "rice", "earthquakes", "batteries", "vaccines", "AI", "oceans"]


class Deck:
    """Weighted draws that keep the proportions even in small samples.

    Deals from a shuffled deck holding each key as many times as its weight, and reshuffles
    a full deck when it runs out (so 40 plans already come out roughly 20 % Chinese).
    """

    def __init__(self, rng, table):
        self.rng = rng
        self.cards = [key for key, weight in table.items() for _ in range(weight)]
        self.pile = []

    def draw(self):
        if not self.pile:
            self.pile = list(self.cards)
            self.rng.shuffle(self.pile)
        return self.pile.pop()


# Most plans are in the main program; NEXUS is the smaller one.
PROGRAM_WEIGHTS = {"scale": 85, "scalenx": 15}
COURSE_WEIGHTS = {"A": 45, "B": 20, "C": 30, "D": 5, "N": 1}


def weighted(rng, table):
    keys = list(table)
    return rng.choices(keys, weights=[table[k] for k in keys])[0]
