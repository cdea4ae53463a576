"""Demo host institutions with their partners abroad, and one user per role (with the
password and two-factor secret printed by `seed_demo`: local use only)."""

import functools

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.hashers import make_password

from accounts.models import User
from institutions.models import Institution, Membership, PartnerInstitution

DEMO_PASSWORD = "sakura-demo-2026"
# The TOTP secret of the demo staff and reviewer accounts: add it to an authenticator app,
# or run `python manage.py demo_totp_code` to print the current code. Local use only.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@functools.cache
def demo_password_hash():
    """DEMO_PASSWORD hashed once per run: every demo account shares it, and hashing it anew
    for each costs about half a second (PBKDF2's iterations are the point of it)."""
    return make_password(DEMO_PASSWORD)


def give_demo_password(user):
    user.password = demo_password_hash()
    user.save(update_fields=["password"])


INSTITUTIONS = [
    {
        "key": "sakura",
        "kind": Institution.Kind.UNIVERSITY,
        "name_en": "Sakura University of Science",
        "name_ja": "さくら科学大学",
        "prefecture": "13",
        "postal_code": "152-8550",
        "address": "東京都目黒区大岡山2-12-1",
    },
    {
        "key": "kirishima",
        "kind": Institution.Kind.KOSEN,
        "name_en": "National Institute of Technology, Kirishima College",
        "name_ja": "霧島工業高等専門学校",
        "prefecture": "46",
        "postal_code": "899-5193",
        "address": "鹿児島県霧島市隼人町真孝1460-1",
    },
    {
        "key": "hikari",
        "kind": Institution.Kind.COMPANY,
        "name_en": "Hikari Materials Co., Ltd.",
        "name_ja": "ひかりマテリアル株式会社",
        "prefecture": "27",
        "postal_code": "530-0001",
        "address": "大阪府大阪市北区梅田1-1-1",
    },
    {
        "key": "hokkaido",
        "kind": Institution.Kind.RESEARCH_AGENCY,
        "name_en": "Hokkaido Institute of Marine Science",
        "name_ja": "北海道海洋科学研究所",
        "prefecture": "01",
        "postal_code": "060-0808",
        "address": "北海道札幌市北区北8条西5丁目",
    },
    {
        "key": "seto",
        "kind": Institution.Kind.UNIVERSITY,
        "name_en": "Seto Inland Sea University",
        "name_ja": "瀬戸内海大学",
        "prefecture": "34",
        "postal_code": "739-8511",
        "address": "広島県東広島市鏡山1-3-2",
    },
]

PARTNERS = {
    "sakura": [
        ("Chulalongkorn University", "จุฬาลงกรณ์มหาวิทยาลัย", "TH", "Bangkok"),
        ("Vietnam National University, Hanoi", "Đại học Quốc gia Hà Nội", "VN", "Hanoi"),
        ("Indian Institute of Technology Bombay", "भारतीय प्रौद्योगिकी संस्थान मुंबई", "IN", "Mumbai"),
    ],
    "kirishima": [
        ("Institut Teknologi Bandung", "", "ID", "Bandung"),
        ("University of Nairobi", "", "KE", "Nairobi"),
    ],
    "hikari": [("Universiti Malaya", "", "MY", "Kuala Lumpur")],
    "hokkaido": [
        (
            "University of the Philippines Diliman",
            "Unibersidad ng Pilipinas Diliman",
            "PH",
            "Quezon City",
        ),
        ("Royal University of Phnom Penh", "សាកលវិទ្យាល័យភូមិន្ទភ្នំពេញ", "KH", "Phnom Penh"),
    ],
    "seto": [
        ("National University of Laos", "ມະຫາວິທະຍາໄລແຫ່ງຊາດ", "LA", "Vientiane"),
        ("University of Yangon", "ရန်ကုန်တက္ကသိုလ်", "MM", "Yangon"),
    ],
}

USERS = [
    # email, full name, language, flags, memberships
    ("admin@example.org", "Operator Admin", "en", {"is_staff": True, "is_superuser": True}, []),
    ("officer@example.org", "佐藤 花子 (Hanako Sato)", "ja", {"is_staff": True}, []),
    ("reviewer@example.org", "Prof. Kenji Watanabe", "en", {"is_reviewer": True}, []),
    (
        "coordinator@example.org",
        "田中 一郎 (Ichiro Tanaka)",
        "ja",
        {},
        [("sakura", Membership.Role.ADMINISTRATOR)],
    ),
    ("colleague@example.org", "Emily Carter", "en", {}, [("sakura", Membership.Role.MEMBER)]),
    (
        "kosen@example.org",
        "鈴木 美咲 (Misaki Suzuki)",
        "ja",
        {},
        [("kirishima", Membership.Role.ADMINISTRATOR)],
    ),
    (
        "company@example.org",
        "高橋 健 (Ken Takahashi)",
        "ja",
        {},
        [("hikari", Membership.Role.ADMINISTRATOR)],
    ),
    (
        "marine@example.org",
        "伊藤 陽子 (Yoko Ito)",
        "ja",
        {},
        [("hokkaido", Membership.Role.ADMINISTRATOR)],
    ),
    ("seto@example.org", "Daniel Okafor", "en", {}, [("seto", Membership.Role.ADMINISTRATOR)]),
    # A third reviewer: the demo's ranking has a harsh, a middling and a lenient one.
    ("reviewer2@example.org", "Dr. Aiko Mori (森 愛子)", "ja", {"is_reviewer": True}, []),
    # One person, two roles: coordinates at the KOSEN and reviews for the agency.
    (
        "professor@example.org",
        "山本 直樹 (Naoki Yamamoto)",
        "ja",
        {"is_reviewer": True},
        [("kirishima", Membership.Role.MEMBER)],
    ),
]


def seed_institutions():
    institutions = {}
    for data in INSTITUTIONS:
        data = dict(data)
        key = data.pop("key")
        institution, _ = Institution.objects.update_or_create(
            name_en=data.pop("name_en"), defaults=data
        )
        institutions[key] = institution
        for name, local, country, city in PARTNERS[key]:
            PartnerInstitution.objects.update_or_create(
                host=institution,
                name=name,
                country=country,
                defaults={
                    "name_local": local,
                    "city": city,
                    "kind": PartnerInstitution.Kind.UNIVERSITY,
                },
            )
    return institutions


def seed_users(institutions):
    for email, name, language, flags, memberships in USERS:
        user, created = User.objects.update_or_create(
            email=email, defaults=dict(full_name=name, preferred_language=language, **flags)
        )
        # Set once: checking it again on every run costs a second per account.
        if created or not user.has_usable_password():
            give_demo_password(user)
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        if (
            user.must_use_two_factor
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            TOTP.activate(user, DEMO_TOTP_SECRET)
        for key, role in memberships:
            Membership.objects.update_or_create(
                user=user, institution=institutions[key], defaults={"role": role}
            )
