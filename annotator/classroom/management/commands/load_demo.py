from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from annotator.annotations import services as annotations
from annotator.annotations import sources
from annotator.classroom import demo, services
from annotator.classroom.models import Classroom, Exercise, Membership
from annotator.roles import TEACHERS_GROUP
from annotator.corpus import outlets
from annotator.corpus.models import Article


class Command(BaseCommand):
    help = "Create the demo lesson (a teacher, a class, three students, an exercise on the seeds); idempotent."

    def handle(self, *args, **options):
        articles = {key: Article.objects.filter(source_file=name).first() for key, name in demo.SEEDS.items()}
        missing = [demo.SEEDS[key] for key, article in articles.items() if article is None]
        if missing:
            raise CommandError(f"Import the seeds first (python manage.py import_articles seeds/): missing {', '.join(missing)}.")
        if Classroom.objects.filter(join_code=demo.JOIN_CODE).exists():
            self.stdout.write("The demo lesson is already loaded.")
        else:
            with transaction.atomic():
                self.load(articles)
            self.stdout.write(self.style.SUCCESS("Loaded the demo lesson."))
        self.print_accounts()

    def load(self, articles):
        teacher = self.user(demo.TEACHER)
        teacher.groups.add(Group.objects.get_or_create(name=TEACHERS_GROUP)[0])
        classroom = Classroom.objects.create(name=demo.CLASS_NAME, teacher=teacher, join_code=demo.JOIN_CODE)
        exercise = Exercise.objects.create(classroom=classroom, **demo.EXERCISE)
        exercise.articles.set(articles.values())
        key = {}
        for seed, quote, label, source, explanation in demo.KEY:
            key[quote] = self.claim(teacher, articles[seed], quote, label, source,
                                    exercise=exercise, key=True, explanation=explanation)
        for seed, quote, relation, to_seed, to_quote in demo.KEY_LINKS:
            self.link(teacher, key[quote], relation, articles[to_seed], to_quote)
        for username, (submitted, claims, links) in demo.STUDENT_WORK.items():
            student = self.user(username)
            Membership.objects.create(classroom=classroom, student=student)
            made = {quote: self.claim(student, articles[seed], quote, label, source, exercise=exercise)
                    for seed, quote, label, source in claims}
            for quote, relation, to_seed, to_quote in links:
                self.link(student, made[quote], relation, articles[to_seed], to_quote)
            if submitted:
                services.submit(student, exercise)
        for name, kind, owner, country, notes in demo.OUTLETS:
            outlets.create_outlet(teacher, {"name": name, "kind": kind, "owner": owner, "country": country,
                                          "notes": notes})
        for name, kind, aliases in demo.SOURCES:
            source = sources.create_source(teacher, {"name": name, "kind": kind})
            for alias in aliases:
                sources.add_alias(teacher, source.slug, {"alias": alias})
        public = {quote: self.claim(teacher, articles[seed], quote, label, source, note=note, visibility="public")
                  for seed, quote, label, source, note in demo.PUBLIC}
        for quote, relation, to_seed, to_quote in demo.PUBLIC_LINKS:
            self.link(teacher, public[quote], relation, articles[to_seed], to_quote)

    def user(self, username):
        user, created = get_user_model().objects.get_or_create(username=username)
        if created:
            user.set_password(demo.PASSWORD)
            user.save()
        return user

    def claim(self, user, article, quote, label, source, exercise=None, key=False, **extra):
        start = article.body.find(quote)
        if start < 0:
            raise CommandError(f"The demo quote {quote!r} is not in {article.source_file}.")
        data = {"start": start, "end": start + len(quote), "exact": quote, "label": label, "source": source,
                **extra}
        if exercise:
            data["exercise"] = exercise.pk
        return annotations.create_annotation(user, article, data, key=key)

    def link(self, user, claim, relation, article, quote):
        start = article.body.find(quote)
        if start < 0:
            raise CommandError(f"The demo quote {quote!r} is not in {article.source_file}.")
        annotations.create_link(user, {"from": claim.pk, "to_article": article.slug, "to_start": start,
                                        "to_end": start + len(quote), "to_exact": quote, "relation": relation})

    def print_accounts(self):
        self.stdout.write(
            "\nDemo accounts (password for all: {password})\n"
            "  teacher   {teacher:<8}  runs the class “{klass}” (join code {code})\n"
            "  students  {students}  amira and ben have submitted; chen is still working\n".format(
                password=demo.PASSWORD, teacher=demo.TEACHER, klass=demo.CLASS_NAME, code=demo.JOIN_CODE,
                students=", ".join(demo.STUDENTS))
        )
