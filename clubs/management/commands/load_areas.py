"""Load Vietnam's 34 provinces and 3,321 communes/wards (from the vietnam-provinces package)."""

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from clubs.models import Area
from config.text import fold


class Command(BaseCommand):
    help = "Load provinces and communes/wards (post-1 July 2025 units). Idempotent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--province", help="Official province code, e.g. 12 for Lai Châu.")

    def handle(self, *args, province: str | None = None, **options) -> None:
        from vietnam_provinces import Province, ProvinceCode, Ward

        provinces = list(Province.iter_all())
        if province:
            try:
                provinces = [Province.from_code(ProvinceCode(int(province)))]
            except ValueError as exc:
                raise CommandError(f"Unknown province code: {province}") from exc
        codes = {p.code for p in provinces}
        wards = [w for w in Ward.iter_all() if w.province_code in codes]
        created, updated = self.load(provinces, wards)
        self.stdout.write(
            f"Areas: {len(provinces)} provinces, {len(wards)} communes/wards "
            f"({created} created, {updated} updated)."
        )

    @transaction.atomic
    def load(self, provinces: list, wards: list) -> tuple[int, int]:
        created = updated = 0
        existing = {
            (a.level, a.code): a
            for a in Area.objects.filter(level__in=[Area.Level.PROVINCE, Area.Level.COMMUNE])
        }
        to_create: list[Area] = []
        to_update: list[Area] = []

        def upsert(level: str, code: str, name: str, kind: str, parent: Area | None) -> Area:
            nonlocal created, updated
            area = existing.get((level, code))
            if area is None:
                area = Area(level=level, code=code, name=name, division_type=kind, parent=parent)
                area.province = parent
                area.search_name = fold(name)
                to_create.append(area)
                created += 1
            elif (area.name, area.division_type, area.parent_id, area.active) != (
                name,
                kind,
                parent.pk if parent else None,
                True,
            ):
                area.name, area.division_type, area.parent, area.active = name, kind, parent, True
                area.province = parent
                area.search_name = fold(name)
                to_update.append(area)
                updated += 1
            return area

        province_areas = {}
        for p in provinces:
            province_areas[p.code] = upsert(
                Area.Level.PROVINCE, f"{int(p.code):02d}", p.name, p.division_type.value, None
            )
        Area.objects.bulk_create([a for a in to_create if a.level == Area.Level.PROVINCE])
        for w in wards:
            upsert(
                Area.Level.COMMUNE,
                f"{int(w.code):05d}",
                w.name,
                w.division_type.value,
                province_areas[w.province_code],
            )
        Area.objects.bulk_create(
            [a for a in to_create if a.level == Area.Level.COMMUNE], batch_size=1000
        )
        # Saved one by one (a rename or a move is rare after the first load): each save carries
        # its clubs along (``Area.save``) and the records that copy the area's name or province
        # follow through their receivers (the funds' holder names, the monthly reports).
        for area in to_update:
            area.save(
                update_fields=[
                    "name",
                    "division_type",
                    "parent",
                    "province",
                    "active",
                    "search_name",
                ]
            )
        return created, updated
