"""quyu（区域）：《区域协调发展》可执行教材的共享代码。

框架（不认识任何一章，只依赖下一层）：
- ``quyu.errors``   中英文对照的错误类（``error.zh``、``error.en``）
- ``quyu.data``     读取 data/ 中的官方统计（按数据版本），区域划分方案
- ``quyu.measures`` 区域差距的度量（纯函数，无读写、无绘图）：``disparity`` 差距指标，``convergence``
  β 收敛与峰值，``clubs`` Phillips–Sul 俱乐部收敛，``dynamics`` 马尔可夫链，``spatial`` 空间相关
- ``quyu.analysis`` 把 data 的面板交给 measures（正文、组件、测试得到同样的数）
- ``quyu.fmt``      供 myst-nb ``glue`` 使用的中文数字格式
- ``quyu.page``     把文字、表格、日期粘贴进页面（glue_text、glue_table、date_zh）
- ``quyu.plots``    中文字体与图形样式、政策事件与阶段标注、省级方格地图
- ``quyu.widgets``  交互组件框架（内核、静态网页、打印三种形态）
- ``quyu.article``  原文报告的数字及其重算（数字核对表；说明文字在 data/ledger_notes.csv）
- ``quyu.toc``、``quyu.edition``  目录的读取；学生版的构建

各部分（``quyu.parts``，只依赖框架）：``part1`` … ``part4`` 与 ``appendix``，各自是书中那一部分的
计算与交互组件。各章只从包中导入。
"""

__version__ = "0.1.0"
