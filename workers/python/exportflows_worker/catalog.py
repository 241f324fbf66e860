"""Each external export type and how the original code base exports it.

Module, class, constructor arguments, method and argument names are exactly those of the original exporters
(``data_processors/publishing/*_exporter.py``) as ``backfill_jobs/publishing/daily_export.py`` calls them.
"""

from typing import Any, Dict, Mapping, NamedTuple, Tuple

PACKAGE = "data_processors.publishing"

# The values an exporter call can take, by name; the request supplies them.
TARGET_DATE = "target_date"
UPDATE_LATEST = "update_latest"
MIN_GAMES = "min_games"

DEFAULT_MIN_GAMES = 5


class ExporterSpec(NamedTuple):
    export_type: str
    module: str
    class_name: str
    constructor_kwargs: Mapping[str, Any]
    method: str
    positional: Tuple[str, ...]
    keywords: Tuple[Tuple[str, str], ...]  # (parameter name of the call, request value)
    multi_object: bool

    @property
    def qualified_module(self) -> str:
        return PACKAGE + "." + self.module

    def call_arguments(self, values: Mapping[str, Any]) -> Tuple[Tuple[Any, ...], Dict[str, Any]]:
        """The positional and keyword arguments of the call, from the request's values."""
        args = tuple(values[name] for name in self.positional)
        kwargs = {parameter: values[name] for parameter, name in self.keywords}
        return args, kwargs

    def describe_call(self) -> str:
        """The call as the original code writes it, e.g. ``PredictionsExporter().export(target_date, update_today=update_latest)``."""
        ctor = ", ".join("%s=%r" % item for item in self.constructor_kwargs.items())
        parts = list(self.positional) + ["%s=%s" % (parameter, name) for parameter, name in self.keywords]
        return "%s(%s).%s(%s)" % (self.class_name, ctor, self.method, ", ".join(parts))


def _single(export_type, module, class_name, positional=(TARGET_DATE,), keywords=(), constructor_kwargs=None):
    return ExporterSpec(export_type, module, class_name, dict(constructor_kwargs or {}), "export",
                        tuple(positional), tuple(keywords), False)


_LATEST = ((UPDATE_LATEST, UPDATE_LATEST),)

SPECS: Tuple[ExporterSpec, ...] = (
    _single("results", "results_exporter", "ResultsExporter", keywords=_LATEST),
    _single("performance", "system_performance_exporter", "SystemPerformanceExporter"),
    _single("best-bets", "best_bets_exporter", "BestBetsExporter", keywords=_LATEST),
    _single("predictions", "predictions_exporter", "PredictionsExporter", keywords=(("update_today", UPDATE_LATEST),)),
    _single("tonight", "tonight_all_players_exporter", "TonightAllPlayersExporter"),
    ExporterSpec("tonight-players", "tonight_player_exporter", "TonightPlayerExporter", {}, "export_all_for_date",
                 (TARGET_DATE,), (), True),
    _single("streaks", "streaks_exporter", "StreaksExporter", constructor_kwargs={"min_streak_length": 4}),
    _single("trends-hot-cold", "whos_hot_cold_exporter", "WhosHotColdExporter"),
    _single("trends-bounce-back", "bounce_back_exporter", "BounceBackExporter"),
    _single("trends-what-matters", "what_matters_exporter", "WhatMattersExporter"),
    _single("trends-team", "team_tendencies_exporter", "TeamTendenciesExporter"),
    _single("trends-quick-hits", "quick_hits_exporter", "QuickHitsExporter"),
    _single("trends-deep-dive", "deep_dive_exporter", "DeepDiveExporter"),
    _single("tonight-trend-plays", "tonight_trend_plays_exporter", "TonightTrendPlaysExporter", positional=(),
            keywords=(("game_date", TARGET_DATE),)),
    _single("live", "live_scores_exporter", "LiveScoresExporter", keywords=_LATEST),
    _single("live-grading", "live_grading_exporter", "LiveGradingExporter", keywords=_LATEST),
    ExporterSpec("player-profiles", "player_profile_exporter", "PlayerProfileExporter", {}, "export_all_players",
                 (), ((MIN_GAMES, MIN_GAMES),), True),
)

BY_TYPE: Dict[str, ExporterSpec] = {spec.export_type: spec for spec in SPECS}
EXTERNAL_TYPES: Tuple[str, ...] = tuple(spec.export_type for spec in SPECS)

# The consumer's pre-flight of the original gated these five; here it gates each of them alone (never subset-picks
# or daily-signals, which ride in the same orchestrator message: pitfall P19).
PREFLIGHT_TYPES = frozenset({"tonight", "tonight-players", "predictions", "best-bets", "streaks"})

# Types ExportFlows exports natively; named so that a request for one gets a precise error.
NATIVE_TYPES = frozenset({"subset-picks", "daily-signals", "subset-performance", "subset-definitions"})


def activity_name(export_type: str) -> str:
    """``Export`` + the type in PascalCase: ``tonight-players`` -> ``ExportTonightPlayers``."""
    return "Export" + "".join(part[:1].upper() + part[1:] for part in export_type.split("-"))


ACTIVITY_NAMES: Dict[str, str] = {export_type: activity_name(export_type) for export_type in EXTERNAL_TYPES}
