"""理论模型的数值解：纯函数，无读写、无绘图；除中英文错误类（``quyu.errors``）外不依赖本书的其他模块。

- :mod:`~quyu.models.core_periphery`：克鲁格曼（Krugman 1991）两地区核心—边缘模型，按 Fujita、Krugman 与
  Venables（1999）第 5 章的标准化求短期均衡（工资、价格指数、收入）、实际工资差、长期均衡及其稳定性
  （战斧图），以及突破点与维持点（闭式解与数值解）。
"""

from . import core_periphery
from .core_periphery import ModelError

__all__ = ["core_periphery", "ModelError"]
