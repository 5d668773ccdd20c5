import io

import pytest

from trainings.models import Participant, Training

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent():
    from accounts import demo as accounts_demo
    from clubs import demo as clubs_demo
    from members import demo as members_demo
    from trainings import demo

    out = io.StringIO()
    for module in (clubs_demo, accounts_demo, members_demo):
        module.seed(out)
    demo.seed(out)
    conference = Training.objects.get(title=demo.SEED_TITLE)
    assert conference.organiser.code == "12"
    assert conference.participants.count() >= 90
    assert conference.trainers.filter(name__contains="Nguyễn Thị Tư").exists()
    assert [s.day.isoformat() for s in conference.sessions.all()] == ["2024-05-28", "2024-05-29"]
    assert Training.objects.filter(organiser__code__in=["03390", "03595"]).count() == 2
    counts = (Training.objects.count(), Participant.objects.count())
    demo.seed(out)
    assert (Training.objects.count(), Participant.objects.count()) == counts
