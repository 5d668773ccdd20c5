"""Factories for the trainings app."""

import datetime

import factory
from factory.django import DjangoModelFactory

from tests.factories import ProvinceFactory
from trainings.models import Participant, SessionAttendance, Training, TrainingSession


class TrainingFactory(DjangoModelFactory):
    class Meta:
        model = Training
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Tập huấn thành lập CLB {n}")
    organiser = factory.SubFactory(ProvinceFactory)
    partners = "TW Hội NCT Việt Nam, HelpAge International"
    starts_on = datetime.date(2024, 5, 28)
    ends_on = datetime.date(2024, 5, 29)
    venue = "Hội trường UBND tỉnh"
    status = Training.Status.PLANNED

    @factory.post_generation
    def with_sessions(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            TrainingSession.objects.bulk_create(
                [TrainingSession(training=obj, day=day) for day in obj.days()]
            )


class ParticipantFactory(DjangoModelFactory):
    class Meta:
        model = Participant

    training = factory.SubFactory(TrainingFactory)
    full_name = factory.Sequence(lambda n: f"Lò Văn Học {n}")
    position = Participant.Position.COMMUNE_CHAIR
    unit = factory.Sequence(lambda n: f"Hội NCT xã {n}")
    sex = Participant.Sex.MALE
    ethnicity = "Thái"
    phone = factory.Sequence(lambda n: f"09{n:08d}")


def make_event(organiser, *, people: int = 3, capacity=None, **kwargs) -> Training:
    """An event with its two days and ``people`` participants."""
    training = TrainingFactory(organiser=organiser, capacity=capacity, **kwargs)
    ParticipantFactory.create_batch(people, training=training)
    return training


def check_in(participant: Participant, session: TrainingSession) -> SessionAttendance:
    return SessionAttendance.objects.create(session=session, participant=participant)
