"""区域差距的度量：纯函数，无读写、无绘图；除中英文错误类（``quyu.errors``）外不依赖本书的其他模块。

按所讲的方法分为几个模块，这里汇总导出它们的全部公共名称（``measures.theil_t(...)`` 即
``measures.disparity.theil_t(...)``）：

- :mod:`~quyu.measures.disparity`：相对差距（``ratio``、``max_min_ratio``）、离散程度（``cv``，
  Williamson 1965 人口加权；``sigma``，对数标准差）、不平等指数（``theil_t``、``theil_l``，
  Theil 1967，分组分解见 Shorrocks 1980；``gini``）、人均值与份额（``per_capita``、
  ``regional_shares``、``regional_per_capita``）、逐年计算（``disparity_by_year``）、
  相异指数（``dissimilarity``）
- :mod:`~quyu.measures.convergence`：β 收敛（``beta_convergence``，Barro & Sala-i-Martin 1992）、
  收敛速度与半衰期、序列的线性趋势与 HAC 区间（``trend``，σ 收敛的检验）、序列的峰值（``peak``）
- :mod:`~quyu.measures.clubs`：Phillips–Sul 的 log t 检验、俱乐部聚类与合并（``hp_trend``、
  ``log_t_test``、``club_convergence``、``merge_clubs``）
- :mod:`~quyu.measures.dynamics`：分布动态（``relative_levels``、``classify``、``markov``、``ergodic``），
  及其推断（按地区整块重抽样 ``markov_bootstrap``；Bickenbach–Bode 检验 ``time_homogeneity``、
  ``markov_property_test``）
- :mod:`~quyu.measures.spatial`：空间结构（``spatial_weights``、``knn_neighbours``、``moran``、``lisa``、
  ``fdr_threshold``、``spatial_markov``）
- :mod:`~quyu.measures.spatial_reg`：空间计量回归（``spatial_regression``：OLS 的残差 Moran's I 与 LM 检验，
  空间滞后与空间误差模型，滞后模型的直接、间接与总效应；包装 PySAL spreg）
- :mod:`~quyu.measures.rank`：位次流动（``kendall_tau``；空间 τ ``spatial_tau``，Rey 2004；区域间与区域内分解
  ``regional_tau``，Rey 2016；``ranks``）
- :mod:`~quyu.measures.event`：事件研究法（``event_study``：双向固定效应、按单位聚类的标准误、前导项的联合
  F 检验；``wild_bootstrap_p``：约束型野聚类自助法，Cameron, Gelbach & Miller 2008）

约定：

- 输入可以是数组、列表或 ``pandas.Series``（索引为地区代码或名称）。两个 Series
  一起输入时按索引对齐；出错时错误信息会指出是哪些地区（数组则指出位置）。
- ``weights`` 一律指人口（或其他"人数"权重），函数内部换算为人口份额
  :math:`p_i = P_i / \\sum_j P_j`；不给权重时每个地区权重相同（:math:`p_i = 1/n`）。
- 输入不合要求时抛出 :class:`MeasureError`，信息中英文对照。
"""

from . import clubs, convergence, disparity, dynamics, event, rank, spatial, spatial_reg
from ._checks import MeasureError
from .clubs import (LOG_T_CRITICAL, ClubResult, LogTResult, club_convergence, hp_trend, log_t_test,
                    merge_clubs)
from .convergence import (BetaResult, PeakResult, TrendResult, beta_convergence, convergence_speed, half_life,
                          newey_west_lags, peak, trend)
from .disparity import (MEASURES, MeasureInfo, TheilResult, cv, disparity_by_year, dissimilarity, gini,
                        max_min_ratio, per_capita, ratio, regional_per_capita, regional_shares, sigma, theil_l,
                        theil_t)
from .event import DEFAULT_BOOT, EventStudy, event_study, wild_bootstrap_p
from .dynamics import (CLASSES_RANGE, HomogeneityResult, MarkovBootstrap, MarkovResult, classify, ergodic,
                       fixed_cutoffs, markov, markov_bootstrap, markov_property_test, relative_levels,
                       time_homogeneity)
from .rank import (RegionalTauResult, SpatialTauResult, TauResult, kendall_tau, ranks, regional_tau,
                   spatial_tau)
from .spatial import (LISA_LABELS, PERMUTATIONS_RANGE, MoranResult, SpatialMarkovResult, check_permutations,
                      fdr_threshold, knn_neighbours, lisa, moran, spatial_markov, spatial_weights)
from .spatial_reg import LagEffects, LMTest, SpatialFit, SpatialRegResult, spatial_regression

__all__ = ["MeasureError", *disparity.__all__, *convergence.__all__, *clubs.__all__, *dynamics.__all__,
           *spatial.__all__, *spatial_reg.__all__, *rank.__all__, *event.__all__]
