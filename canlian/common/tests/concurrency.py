"""Run the same work in several threads at once, as two workers or two officers would."""

import threading

from django.core.exceptions import ValidationError
from django.db import connection


def race(work, times: int = 2):
    barrier = threading.Barrier(times)
    outcomes = []

    def run(index):
        try:
            barrier.wait()
            outcomes.append(work(index))
        except ValidationError as error:
            outcomes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes
