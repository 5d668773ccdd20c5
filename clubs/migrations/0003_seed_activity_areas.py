"""The 8 activity areas of an intergenerational self-help club (reference data)."""

from django.db import migrations

AREAS = [
    ("livelihoods", "Tăng thu nhập, đảm bảo sinh kế", "Income generation and livelihoods"),
    ("health", "Chăm sóc sức khỏe", "Health care"),
    ("home_care", "Chăm sóc tại nhà dựa vào tình nguyện viên", "Volunteer-based home care"),
    ("self_help", "Tự giúp nhau và hỗ trợ cộng đồng", "Self-help and community support"),
    ("rights", "Quyền và quyền lợi", "Rights and entitlements"),
    ("learning", "Nâng cao nhận thức, học tập suốt đời", "Awareness and lifelong learning"),
    ("culture", "Văn hóa, văn nghệ, thăm hỏi, giao lưu", "Culture, arts, visits and exchanges"),
    ("resources", "Huy động nguồn lực", "Resource mobilisation"),
]


def seed(apps, schema_editor):
    ActivityArea = apps.get_model("clubs", "ActivityArea")
    for order, (code, name, name_en) in enumerate(AREAS, start=1):
        ActivityArea.objects.update_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "order": order}
        )


def unseed(apps, schema_editor):
    apps.get_model("clubs", "ActivityArea").objects.filter(code__in=[a[0] for a in AREAS]).delete()


class Migration(migrations.Migration):
    dependencies = [("clubs", "0002_board_and_history")]

    operations = [migrations.RunPython(seed, unseed)]
