"""全书的错误类：中文与英文说明作为两个属性（``zh``、``en``）携带。

读者看到的是中文（组件的提示框只显示 ``error.zh``）；``str(error)`` 仍是“中文 / English”，
供日志与测试使用。库函数抛出的错误都是 :class:`BookError` 的子类，也都是 ``ValueError``。
"""
from __future__ import annotations

SEPARATOR = " / "


class BookError(ValueError):
    """中英文对照的错误：``BookError(zh, en)``。

    只给一个参数时，按旧的写法“中文 / English”拆成两部分（没有“ / ”时英文为空）。
    """

    def __init__(self, zh: str, en: str | None = None):
        zh = str(zh)
        if en is None:
            zh, _, en = zh.partition(SEPARATOR)
        self.zh = zh.strip()
        self.en = (en or "").strip()
        super().__init__(self.zh + (SEPARATOR + self.en if self.en else ""))


def chinese(error: BaseException) -> str:
    """错误的中文说明：本书的错误类取 ``zh``；其他异常按旧的写法“中文 / English”取前半，
    没有“ / ”时原样给出（如 numpy 的 ValueError）。"""
    zh = getattr(error, "zh", None)
    return zh if zh else str(error).partition(SEPARATOR)[0].strip()
