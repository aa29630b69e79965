from django.core.management.base import BaseCommand, CommandError

from canlian.registry.synthetic import DEFAULT_COMMUNITIES, DEFAULT_SEED, SyntheticDataError, synth_load


class Command(BaseCommand):
    help = ("Generate a synthetic province-scale registry (areas, persons, certificates) into an empty database; "
            "deterministic for a seed, loaded with COPY on PostgreSQL. Refuses when persons already exist.")

    def add_arguments(self, parser):
        parser.add_argument("--persons", type=int, required=True, help="number of persons, e.g. 1000000")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument("--areas", type=int, default=DEFAULT_COMMUNITIES,
                            help="number of communities/gacha (leaf areas) the persons live in")
        parser.add_argument("--chunk", type=int, default=50_000, help="persons generated and written per batch")

    def handle(self, *args, persons, seed, areas, chunk, **options):
        def progress(done: int) -> None:
            if options["verbosity"] > 1:
                self.stderr.write(f"  {done:,} / {persons:,}")

        try:
            result = synth_load(persons=persons, seed=seed, communities=areas, chunk=chunk, progress=progress)
        except SyntheticDataError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"已生成 {result['persons']:,} 名残疾人、{result['certificates']:,} 张残疾人证、{result['areas']:,} 个区划"
            f"（{result['seconds']:.1f} 秒，{result['rows_per_second']:,.0f} 行/秒，{result['vendor']}）。"
        )
