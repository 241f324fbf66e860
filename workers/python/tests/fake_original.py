"""A stand-in for the original repository: ``data_processors/publishing/*_exporter.py`` in a temporary folder.

Each fake exporter has the original's class name, constructor and call signature, records how it was called
(positionally or by keyword, as passed) in ``_fake_control.CALLS``, and returns the gs:// path(s) the original
writes. A test replaces a class's behaviour through ``_fake_control.OVERRIDES[class_name]``.
"""

import os
import shutil
import sys
import tempfile
import textwrap

BUCKET_ROOT = "gs://nba-props-platform-api/v1/"

CONTROL = '''
import functools
import threading

CALLS = []
OVERRIDES = {}
PLAYERS = ["lebronjames", "stephencurry", "nikolajokic"]
ROOT = "gs://nba-props-platform-api/v1/"
_lock = threading.Lock()


def reset():
    del CALLS[:]
    OVERRIDES.clear()
    PLAYERS[:] = ["lebronjames", "stephencurry", "nikolajokic"]


def recorded(fn):
    @functools.wraps(fn)
    def method(self, *args, **kwargs):
        with _lock:
            CALLS.append({"class": type(self).__name__, "method": fn.__name__, "args": args, "kwargs": kwargs})
        override = OVERRIDES.get(type(self).__name__)
        if override is not None and fn.__name__ != "__init__":
            return override(*args, **kwargs)
        return fn(self, *args, **kwargs)
    return method
'''

# module -> (class, constructor parameters, method, parameters, body returning the path(s))
EXPORTERS = {
    "results_exporter": ("ResultsExporter", "", "export", "target_date, update_latest=True",
                         'ROOT + "results/%s.json" % target_date'),
    "system_performance_exporter": ("SystemPerformanceExporter", "", "export", "as_of_date",
                                    'ROOT + "systems/performance.json"'),
    "best_bets_exporter": ("BestBetsExporter", "", "export", "target_date, update_latest=True, top_n=None",
                           'ROOT + "best-bets/%s.json" % target_date'),
    "predictions_exporter": ("PredictionsExporter", "", "export", "target_date, update_today=True",
                             'ROOT + "predictions/%s.json" % target_date'),
    "tonight_all_players_exporter": ("TonightAllPlayersExporter", "", "export", "target_date",
                                     'ROOT + "tonight/all-players.json"'),
    "tonight_player_exporter": ("TonightPlayerExporter", "", "export_all_for_date", "target_date",
                                '[ROOT + "tonight/player/%s.json" % p for p in PLAYERS]'),
    "streaks_exporter": ("StreaksExporter", ", min_streak_length=3", "export", "as_of_date",
                         'ROOT + "streaks/today.json"'),
    "whos_hot_cold_exporter": ("WhosHotColdExporter", "", "export", "as_of_date", 'ROOT + "trends/whos-hot-v2.json"'),
    "bounce_back_exporter": ("BounceBackExporter", "", "export", "target_date", 'ROOT + "trends/bounce-back.json"'),
    "what_matters_exporter": ("WhatMattersExporter", "", "export", "target_date", 'ROOT + "trends/what-matters.json"'),
    "team_tendencies_exporter": ("TeamTendenciesExporter", "", "export", "target_date",
                                 'ROOT + "trends/team-tendencies.json"'),
    "quick_hits_exporter": ("QuickHitsExporter", "", "export", "target_date", 'ROOT + "trends/quick-hits.json"'),
    "deep_dive_exporter": ("DeepDiveExporter", "", "export", "target_date", 'ROOT + "trends/deep-dive-current.json"'),
    "tonight_trend_plays_exporter": ("TonightTrendPlaysExporter", "", "export", "game_date",
                                     'ROOT + "trends/tonight-plays.json"'),
    "live_scores_exporter": ("LiveScoresExporter", "", "export", "target_date, update_latest=True",
                             'ROOT + "live/%s.json" % target_date'),
    "live_grading_exporter": ("LiveGradingExporter", "", "export", "target_date, update_latest=True",
                              'ROOT + "live-grading/%s.json" % target_date'),
    "player_profile_exporter": ("PlayerProfileExporter", "", "export_all_players", "min_games=5",
                                '[ROOT + "players/index.json"] + [ROOT + "players/%s.json" % p for p in PLAYERS]'),
    # Three of the original's later exporters (not in the shipped catalog; tests/catalogs/new-types.toml has them).
    "calendar_exporter": ("CalendarExporter", "", "export", "days_back=30", 'ROOT + "calendar/game-counts.json"'),
    "signal_health_exporter": ("SignalHealthExporter", "", "export", "target_date",
                               'ROOT + "systems/signal-health.json"'),
    "best_bets_record_exporter": ("BestBetsRecordExporter", "", "export", "target_date",
                                  '{"record": ROOT + "best-bets/record.json", '
                                  '"history": ROOT + "best-bets/history.json"}'),
}


def exporter_source(class_name, ctor_params, method, params, body):
    return textwrap.dedent('''\
        from data_processors.publishing._fake_control import PLAYERS, ROOT, recorded


        class {cls}:
            @recorded
            def __init__(self{ctor}):
                self.bq_client = "fake bigquery client"

            @recorded
            def {method}(self, {params}):
                return {body}
        ''').format(cls=class_name, ctor=ctor_params, method=method, params=params, body=body)


class FakeOriginal:
    """The fake checkout; ``replace`` maps a module name to its source (None: leave the module out)."""

    def __init__(self, replace=None):
        self.root = tempfile.mkdtemp(prefix="fake-original-")
        package = os.path.join(self.root, "data_processors", "publishing")
        os.makedirs(package)
        for folder in (os.path.dirname(package), package):
            open(os.path.join(folder, "__init__.py"), "w").close()
        sources = {"_fake_control": CONTROL}
        sources.update({module: exporter_source(*spec) for module, spec in EXPORTERS.items()})
        sources.update(replace or {})
        for module, source in sources.items():
            if source is not None:
                with open(os.path.join(package, module + ".py"), "w") as handle:
                    handle.write(source)
        _purge()

    @property
    def control(self):
        import importlib
        return importlib.import_module("data_processors.publishing._fake_control")

    def close(self):
        while self.root in sys.path:
            sys.path.remove(self.root)
        _purge()
        shutil.rmtree(self.root, ignore_errors=True)


def _purge():
    for name in [name for name in sys.modules if name == "data_processors" or name.startswith("data_processors.")]:
        del sys.modules[name]
