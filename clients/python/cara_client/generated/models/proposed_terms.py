from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.proposed_terms_quality_reporter import ProposedTermsQualityReporter
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.overrides import Overrides
    from ..models.proposed_terms_target_prices import ProposedTermsTargetPrices
    from ..models.quality_measure_choice import QualityMeasureChoice
    from ..models.target_price_from_analysis import TargetPriceFromAnalysis
    from ..models.target_price_source import TargetPriceSource


T = TypeVar("T", bound="ProposedTerms")


@_attrs_define
class ProposedTerms:
    """The terms of a proposal: the target price a decimal string, or taken from an analysis.

    Example:
        {'loss_quality_relief_pct': '10', 'loss_share_pct': '25', 'min_episodes': 11, 'performance_adjustment_pct':
            '20', 'price_adjustment_pct': '-2', 'quality_measures': [{'measure_id': 'Q155', 'weight': '1'}, {'measure_id':
            'Q318', 'weight': '1'}], 'runout_days': 90, 'savings_share_pct': '50', 'stop_gain_pct': '20', 'stop_loss_pct':
            '20', 'target_price': '1200.00'}

    Attributes:
        price_adjustment_pct (str): Discount (negative) or premium (positive) on the target.
        savings_share_pct (str): Provider's share of savings.
        loss_share_pct (str): Provider's share of losses (0 = upside only).
        performance_adjustment_pct (str): Part of positive savings at risk on quality.
        quality_measures (list[QualityMeasureChoice]): One or more of the definition's measures.
        target_price (None | str | TargetPriceFromAnalysis | Unset): Base target per episode, USD (a decimal string, two
            places), or `{"from_analysis": "<id>", "risk_factor": "all"}`: the recommendation of a done episode analysis of
            the ACO (docs/analyses.md), stored as the number with its provenance in `target_price_source`. Exactly one of
            `target_price` and `target_prices`.
        target_prices (ProposedTermsTargetPrices | Unset): Base target per episode of each risk factor (price group) of
            the definition's inpatient anchor, USD (two places): `{"DRG470": "24500.00"}`. Every risk factor must be priced.
        loss_quality_relief_pct (str | Unset): Part of a repayment forgiven at perfect quality. Default: '10'.
        stop_gain_pct (str | Unset): Cap on a payment, as a share of total target. Default: '20'.
        stop_loss_pct (str | Unset): Cap on a repayment, as a share of total target. Default: '20'.
        min_episodes (int | Unset): Below this many episodes, no repayment is owed. Default: 0.
        runout_days (int | Unset): Claims run-out after period end before a settlement is final. Default: 90.
        overrides (None | Overrides | Unset): Max-flex only: replaces trigger and/or episode length; needs ops approval.
        quality_reporter (ProposedTermsQualityReporter | Unset): Which party reports the quality data: `provider`
            (default), `aco` or `either`; the other party's report is refused (403). Default:
            ProposedTermsQualityReporter.PROVIDER.
        target_price_source (None | TargetPriceSource | Unset): Set by the service when a proposal took the target price
            from an episode analysis (`target_price: {"from_analysis": ...}`); kept by revisions that keep the price.
    """

    price_adjustment_pct: str
    savings_share_pct: str
    loss_share_pct: str
    performance_adjustment_pct: str
    quality_measures: list[QualityMeasureChoice]
    target_price: None | str | TargetPriceFromAnalysis | Unset = UNSET
    target_prices: ProposedTermsTargetPrices | Unset = UNSET
    loss_quality_relief_pct: str | Unset = "10"
    stop_gain_pct: str | Unset = "20"
    stop_loss_pct: str | Unset = "20"
    min_episodes: int | Unset = 0
    runout_days: int | Unset = 90
    overrides: None | Overrides | Unset = UNSET
    quality_reporter: ProposedTermsQualityReporter | Unset = ProposedTermsQualityReporter.PROVIDER
    target_price_source: None | TargetPriceSource | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.overrides import Overrides  # noqa: PLC0415
        from ..models.target_price_from_analysis import TargetPriceFromAnalysis  # noqa: PLC0415
        from ..models.target_price_source import TargetPriceSource  # noqa: PLC0415

        price_adjustment_pct = self.price_adjustment_pct

        savings_share_pct = self.savings_share_pct

        loss_share_pct = self.loss_share_pct

        performance_adjustment_pct = self.performance_adjustment_pct

        quality_measures = []
        for quality_measures_item_data in self.quality_measures:
            quality_measures_item = quality_measures_item_data.to_dict()
            quality_measures.append(quality_measures_item)

        target_price: dict[str, Any] | None | str | Unset
        if isinstance(self.target_price, Unset):
            target_price = UNSET
        elif isinstance(self.target_price, TargetPriceFromAnalysis):
            target_price = self.target_price.to_dict()
        else:
            target_price = self.target_price

        target_prices: dict[str, Any] | Unset = UNSET
        if not isinstance(self.target_prices, Unset):
            target_prices = self.target_prices.to_dict()

        loss_quality_relief_pct = self.loss_quality_relief_pct

        stop_gain_pct = self.stop_gain_pct

        stop_loss_pct = self.stop_loss_pct

        min_episodes = self.min_episodes

        runout_days = self.runout_days

        overrides: dict[str, Any] | None | Unset
        if isinstance(self.overrides, Unset):
            overrides = UNSET
        elif isinstance(self.overrides, Overrides):
            overrides = self.overrides.to_dict()
        else:
            overrides = self.overrides

        quality_reporter: str | Unset = UNSET
        if not isinstance(self.quality_reporter, Unset):
            quality_reporter = self.quality_reporter.value

        target_price_source: dict[str, Any] | None | Unset
        if isinstance(self.target_price_source, Unset):
            target_price_source = UNSET
        elif isinstance(self.target_price_source, TargetPriceSource):
            target_price_source = self.target_price_source.to_dict()
        else:
            target_price_source = self.target_price_source

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "price_adjustment_pct": price_adjustment_pct,
                "savings_share_pct": savings_share_pct,
                "loss_share_pct": loss_share_pct,
                "performance_adjustment_pct": performance_adjustment_pct,
                "quality_measures": quality_measures,
            }
        )
        if target_price is not UNSET:
            field_dict["target_price"] = target_price
        if target_prices is not UNSET:
            field_dict["target_prices"] = target_prices
        if loss_quality_relief_pct is not UNSET:
            field_dict["loss_quality_relief_pct"] = loss_quality_relief_pct
        if stop_gain_pct is not UNSET:
            field_dict["stop_gain_pct"] = stop_gain_pct
        if stop_loss_pct is not UNSET:
            field_dict["stop_loss_pct"] = stop_loss_pct
        if min_episodes is not UNSET:
            field_dict["min_episodes"] = min_episodes
        if runout_days is not UNSET:
            field_dict["runout_days"] = runout_days
        if overrides is not UNSET:
            field_dict["overrides"] = overrides
        if quality_reporter is not UNSET:
            field_dict["quality_reporter"] = quality_reporter
        if target_price_source is not UNSET:
            field_dict["target_price_source"] = target_price_source

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.overrides import Overrides  # noqa: PLC0415
        from ..models.proposed_terms_target_prices import ProposedTermsTargetPrices  # noqa: PLC0415
        from ..models.quality_measure_choice import QualityMeasureChoice  # noqa: PLC0415
        from ..models.target_price_from_analysis import TargetPriceFromAnalysis  # noqa: PLC0415
        from ..models.target_price_source import TargetPriceSource  # noqa: PLC0415

        d = dict(src_dict)
        price_adjustment_pct = d.pop("price_adjustment_pct")

        savings_share_pct = d.pop("savings_share_pct")

        loss_share_pct = d.pop("loss_share_pct")

        performance_adjustment_pct = d.pop("performance_adjustment_pct")

        quality_measures = []
        _quality_measures = d.pop("quality_measures")
        for quality_measures_item_data in _quality_measures:
            quality_measures_item = QualityMeasureChoice.from_dict(quality_measures_item_data)

            quality_measures.append(quality_measures_item)

        def _parse_target_price(data: object) -> None | str | TargetPriceFromAnalysis | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                target_price_type_1 = TargetPriceFromAnalysis.from_dict(data)

                return target_price_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | str | TargetPriceFromAnalysis | Unset, data)

        target_price = _parse_target_price(d.pop("target_price", UNSET))

        _target_prices = d.pop("target_prices", UNSET)
        target_prices: ProposedTermsTargetPrices | Unset
        if isinstance(_target_prices, Unset):
            target_prices = UNSET
        else:
            target_prices = ProposedTermsTargetPrices.from_dict(_target_prices)

        loss_quality_relief_pct = d.pop("loss_quality_relief_pct", UNSET)

        stop_gain_pct = d.pop("stop_gain_pct", UNSET)

        stop_loss_pct = d.pop("stop_loss_pct", UNSET)

        min_episodes = d.pop("min_episodes", UNSET)

        runout_days = d.pop("runout_days", UNSET)

        def _parse_overrides(data: object) -> None | Overrides | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                overrides_type_0 = Overrides.from_dict(data)

                return overrides_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Overrides | Unset, data)

        overrides = _parse_overrides(d.pop("overrides", UNSET))

        _quality_reporter = d.pop("quality_reporter", UNSET)
        quality_reporter: ProposedTermsQualityReporter | Unset
        if isinstance(_quality_reporter, Unset):
            quality_reporter = UNSET
        else:
            quality_reporter = ProposedTermsQualityReporter(_quality_reporter)

        def _parse_target_price_source(data: object) -> None | TargetPriceSource | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                target_price_source_type_0 = TargetPriceSource.from_dict(data)

                return target_price_source_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TargetPriceSource | Unset, data)

        target_price_source = _parse_target_price_source(d.pop("target_price_source", UNSET))

        proposed_terms = cls(
            price_adjustment_pct=price_adjustment_pct,
            savings_share_pct=savings_share_pct,
            loss_share_pct=loss_share_pct,
            performance_adjustment_pct=performance_adjustment_pct,
            quality_measures=quality_measures,
            target_price=target_price,
            target_prices=target_prices,
            loss_quality_relief_pct=loss_quality_relief_pct,
            stop_gain_pct=stop_gain_pct,
            stop_loss_pct=stop_loss_pct,
            min_episodes=min_episodes,
            runout_days=runout_days,
            overrides=overrides,
            quality_reporter=quality_reporter,
            target_price_source=target_price_source,
        )

        return proposed_terms
