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
- ``quyu.gap_widgets``  几个部分共用的两个差距组件（省际差距的度量；区域份额与人均之比）
- ``quyu.article``  原文报告的数字及其重算（数字核对表；说明文字在 data/ledger_notes.csv）
- ``quyu.toc``、``quyu.edition``  目录的读取；学生版的构建

各章（``quyu.parts``，只依赖框架）：与书一一对应，``book/partN/<章>.md`` 的计算与交互组件在
``quyu/parts/partN/<章>.py``（附录页在 ``quyu/parts/appendix/``）。各章只从包中导入。
"""

#: 本书的版本与发布日期：只写在这里（网页首页、PDF 标题页、wheel、CITATION.cff 的核对都取自这里）。
#: 发布新版时改这两行，再运行 ``./book.sh release``。
__version__ = "0.2.0"
__date__ = "2026-12-04"
