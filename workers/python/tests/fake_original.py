"""A stand-in for the original repository: ``data_processors/publishing/*_exporter.py`` in a temporary folder.

Each fake exporter has the original's class name, constructor and call signature, records how it was called
(positionally or by keyword, as passed) in ``_fake_control.CALLS``, and returns the gs:// path(s) the original
writes. A test replaces a class's behaviour through ``_fake_control.OVERRIDES[class_name]``. The steps before signal
best bets (the two materializers, the annotator) return what the original's return (a dict with version_id), and
``shared/`` has the original's ``discover_models`` (a DiscoveredModels dataclass) and ``get_bigquery_client``;
``orchestration/`` the post-grading Cloud Function's two backfills; ``ml/`` its four analytics, each a compute
function and a write function of the original's names and signatures.
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
                                     'ROOT + "tonight/%s.json" % target_date'),
    "tonight_player_exporter": ("TonightPlayerExporter", "", "export_all_for_date", "target_date, update_latest=True",
                                '[ROOT + "tonight/player/%s/%s.json" % (target_date, p) for p in PLAYERS]'),
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
    # The original's later exporters (also rows of tests/catalogs/new-types.toml: calendar, signal-health, record).
    "calendar_exporter": ("CalendarExporter", "", "export", "days_back=30", 'ROOT + "calendar/game-counts.json"'),
    "signal_health_exporter": ("SignalHealthExporter", "", "export", "target_date",
                               'ROOT + "systems/signal-health.json"'),
    "best_bets_record_exporter": ("BestBetsRecordExporter", "", "export", "target_date",
                                  '{"record": ROOT + "best-bets/record.json", '
                                  '"history": ROOT + "best-bets/history.json"}'),
    "season_game_counts_exporter": ("SeasonGameCountsExporter", "", "export", 'season_start="2025-10-01"',
                                    'ROOT + "schedule/game-counts.json"'),
    "trends_tonight_exporter": ("TrendsTonightExporter", "", "export", "game_date=None, **kwargs",
                                'ROOT + "trends/tonight.json"'),
    "season_subset_picks_exporter": ("SeasonSubsetPicksExporter", "", "export", "**kwargs",
                                     'ROOT + "subsets/season.json"'),
    "signal_best_bets_exporter": ("SignalBestBetsExporter", "", "export", "target_date, version_id=None",
                                  'ROOT + "signal-best-bets/%s.json" % target_date'),
    "model_health_exporter": ("ModelHealthExporter", "", "export", "target_date=None",
                              'ROOT + "systems/model-health.json"'),
    "today_best_bets_exporter": ("TodayBestBetsExporter", "", "export", "target_date, record=None",
                                 'ROOT + "best-bets/today.json"'),
    "best_bets_all_exporter": ("BestBetsAllExporter", "", "export", "target_date, trigger_source='scheduled'",
                               'ROOT + "best-bets/all.json"'),
    "admin_picks_exporter": ("AdminPicksExporter", "", "export", "target_date",
                             'ROOT + "admin/picks/%s.json" % target_date'),
    "admin_dashboard_exporter": ("AdminDashboardExporter", "", "export", "target_date",
                                 'ROOT + "admin/dashboard.json"'),
    # Steps: they write tables and return a summary.
    "subset_materializer": ("SubsetMaterializer", ", project_id=None", "materialize",
                            "game_date, trigger_source='unknown', batch_id=None, active_system_ids=None",
                            '{"version_id": "v_20260210_170000", "game_date": game_date, "total_picks": 12, '
                            '"subsets": {"top_pick": 1}}'),
    "cross_model_subset_materializer": ("CrossModelSubsetMaterializer", ", project_id=None", "materialize",
                                        "game_date, version_id, trigger_source='export', discovered_models=None",
                                        '{"version_id": version_id, "total_picks": 3, "subsets": {}}'),
    "signal_annotator": ("SignalAnnotator", ", project_id=None", "annotate", "target_date, version_id=None",
                         '{"annotated": 40, "with_signals": 9, "signal_picks": 4, "model_health": "healthy"}'),
}

# shared/: the model discovery and the BigQuery client pool (module -> source).
SHARED = {
    "clients/bigquery_pool": textwrap.dedent('''\
        def get_bigquery_client(project_id=None, location=None):
            return "pooled bigquery client"
        '''),
    "config/cross_model_subsets": textwrap.dedent('''\
        from dataclasses import dataclass, field
        from typing import Dict, List

        from data_processors.publishing._fake_control import CALLS


        @dataclass
        class DiscoveredModels:
            all_system_ids: List[str] = field(default_factory=list)
            family_to_id: Dict[str, str] = field(default_factory=dict)
            id_to_family: Dict[str, str] = field(default_factory=dict)

            @property
            def family_count(self):
                return len(self.family_to_id)


        def discover_models(bq_client, game_date, project_id="nba-props-platform"):
            CALLS.append({"class": None, "method": "discover_models", "args": (bq_client, game_date), "kwargs": {}})
            return DiscoveredModels(["catboost_v9", "xgboost_v2"], {"v9_mae": "catboost_v9", "x2": "xgboost_v2"},
                                    {"catboost_v9": "v9_mae", "xgboost_v2": "x2"})
        '''),
}


# orchestration/: the post-grading Cloud Function's module-level backfills (module -> source).
ORCHESTRATION = {
    "cloud_functions/post_grading_export/main": textwrap.dedent('''\
        from data_processors.publishing._fake_control import CALLS


        def backfill_signal_best_bets(target_date):
            CALLS.append({"class": None, "method": "backfill_signal_best_bets", "args": (target_date,), "kwargs": {}})
            return 14


        def backfill_filtered_picks(target_date):
            CALLS.append({"class": None, "method": "backfill_filtered_picks", "args": (target_date,), "kwargs": {}})
            return 31
        '''),
}


# ml/: the post-grading analytics, compute then write (module -> source), with the original's signatures. Each
# compute function returns rows for the date (league macro: one dict) unless OVERRIDES[its name] gives another
# result; each write function returns how many rows it wrote.
ANALYTICS = textwrap.dedent('''\
    from data_processors.publishing._fake_control import CALLS, OVERRIDES


    def _called(method, args, computed):
        CALLS.append({"class": None, "method": method, "args": args, "kwargs": {}})
        override = OVERRIDES.get(method)
        return override(*args) if override is not None else computed
    ''')
ML = {
    "signals/signal_health": ANALYTICS + textwrap.dedent('''

        def compute_signal_health(bq_client, target_date):
            return _called("compute_signal_health", (bq_client, target_date), [
                {"game_date": target_date, "signal_tag": "high_edge"}, {"game_date": target_date, "signal_tag": "rest"}])


        def write_health_rows(bq_client, rows):
            return _called("write_health_rows", (bq_client, rows), len(rows))
        '''),
    "analysis/model_performance": ANALYTICS + textwrap.dedent('''

        def compute_for_date(bq_client, target_date, prev_day_states=None, active_models=None,
                             training_end_dates=None):
            return _called("compute_for_date", (bq_client, target_date), [
                {"game_date": target_date, "model_id": m} for m in ("catboost_v9", "xgboost_v2", "ensemble_v1")])


        def write_rows(bq_client, rows):
            return _called("write_rows", (bq_client, rows), len(rows))
        '''),
    "analysis/model_profile": ANALYTICS + textwrap.dedent('''

        def compute_profiles_for_date(bq_client, target_date, project_id="nba-props-platform"):
            return _called("compute_profiles_for_date", (bq_client, target_date), [
                {"game_date": target_date, "dimension": d} for d in ("tier", "line_range", "edge_band", "affinity")])


        def write_profile_rows(bq_client, rows):
            return _called("write_profile_rows", (bq_client, rows), len(rows))
        '''),
    "analysis/league_macro": ANALYTICS + textwrap.dedent('''

        def compute_for_date(bq_client, target_date):
            return _called("compute_for_date", (bq_client, target_date),
                           {"game_date": target_date, "market_regime": "NORMAL"})


        def write_rows(bq_client, row):
            return _called("write_rows", (bq_client, row), 1)
        '''),
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
        shared = {"../../shared/" + name: source for name, source in SHARED.items()}
        sources.update(shared)
        sources.update({"../../orchestration/" + name: source for name, source in ORCHESTRATION.items()})
        sources.update({"../../ml/" + name: source for name, source in ML.items()})
        sources.update(replace or {})
        for module, source in sources.items():
            if source is not None:
                path = os.path.normpath(os.path.join(package, module + ".py"))
                for folder in _package_folders(self.root, os.path.dirname(path)):
                    os.makedirs(folder, exist_ok=True)
                    open(os.path.join(folder, "__init__.py"), "a").close()
                with open(path, "w") as handle:
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


def _package_folders(root, folder):
    """``folder`` and each folder between it and ``root``, outermost first."""
    found = []
    while os.path.normpath(folder) != os.path.normpath(root):
        found.append(folder)
        folder = os.path.dirname(folder)
    return list(reversed(found))


def _purge():
    for name in [name for name in sys.modules if name.split(".")[0] in ("data_processors", "shared", "orchestration", "ml")]:
        del sys.modules[name]
