"""各章的计算与组件，与书一一对应：``book/partN/<章>.md`` 的代码在 ``quyu/parts/partN/<章>.py``，
附录页 ``book/appendix/<页>.md`` 的代码在 ``quyu/parts/appendix/<页>.py``。

- 章节只导入自己的模块，不起别名：``from quyu.parts.part4 import convergence``，再用
  ``convergence.estimate(...)``；只用框架的章节（如第一部分的两章）没有自己的模块。
- 同一部分几章共用的代码在 ``partN/_shared.py``，由用到它的章节模块导入（章节从自己的模块取用）；
  几个部分共用的小工具在 ``_shared.py``；更一般的代码属于框架（``quyu/*.py``）。
- 章节模块只依赖框架和上面两种 ``_shared``，彼此之间不相互导入。
- 自查练习的标准答案在 ``answers``：它是唯一可以导入各章模块的汇总模块，框架只读它在构建时写出的散列文件。

``tests/test_layout.py`` 检查这些规则。
"""
