#!/usr/bin/env bash
# 《区域协调发展》可执行教材的构建与测试入口。
#   ./book.sh build     建立 .venv、安装构建所需的依赖、构建 HTML（第一条命令）；加 --lang en 构建英文版（_build/en/html）
#   ./book.sh test      安装测试所需的依赖，网页版过时则重建，运行全部测试（第二条命令）
#   ./book.sh pdf       构建 PDF（需 TeX 与字体，见 README）；加 --lang en 构建英文版 PDF
#   ./book.sh gettext   抽出待译段落并更新 locale/en 的译文目录（sphinx-intl），再检查已译完的页
#   ./book.sh student   构建不含习题答案的学生版（HTML；加 --pdf 同时构建 PDF）
#   ./book.sh release   构建全部版本并收进 _build/release/（网页 zip、PDF、学生版 PDF、wheel、CSV、清单、校验和）
#   ./book.sh assignments  写出各章的作业笔记本与 Otter-Grader 评分包（_build/assignments）
#   ./book.sh clean     删除构建结果（保留执行缓存）
# 不需要 root 权限；只在本目录内写文件。出错时给出中英文说明，不留下半成品。
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

VENV=${QUYU_VENV:-.venv}
PY="$VENV/bin/python"
BUILD=_build

say() { printf '%s\n' "$*"; }
die() {  # die "中文" "English"
  printf '\n错误：%s\nError: %s\n' "$1" "$2" >&2
  exit 1
}

usage() {
  cat >&2 <<'EOF'
用法 / usage: ./book.sh {build [--lang en]|test|pdf [--lang en]|gettext|student [--pdf]|assignments|release|clean}
  build    建立环境并构建网页版 / set up and build the HTML book (--lang en: the English edition)
  gettext  更新英文版的译文目录并检查 / update and check the English translation catalogs
  test     运行全部测试（网页版过时则先重建）/ run the tests (rebuilds a stale site first)
  pdf      构建 PDF / build the PDF
  student  构建学生版（不含答案）/ build the student edition (no solutions)
  assignments  作业笔记本与自动评分包 / assignment notebooks and autograders
  release  发布：网页 zip、PDF、学生版 PDF、wheel、CSV、清单与校验和 / build and collect a release
  clean    删除构建结果 / remove build outputs
EOF
}

# ------------------------------------------------------------------ Python 与虚拟环境

need_python() {
  local py=${PYTHON:-python3}
  command -v "$py" >/dev/null 2>&1 ||
    die "找不到 Python 解释器 $py。请安装 Python 3.11 或更高版本，或用 PYTHON=/path/to/python3 指定。" \
        "No Python interpreter '$py'. Install Python 3.11+ or point PYTHON at one."
  "$py" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' ||
    die "需要 Python 3.11 或更高版本，而 $py 是 $("$py" -c 'import platform; print(platform.python_version())')。可用 PYTHON=/path/to/python3.12 指定。" \
        "Python 3.11 or later is required; $py is older. Point PYTHON at a newer interpreter."
  "$py" -c 'import venv' 2>/dev/null ||
    die "$py 没有 venv 模块。请安装系统包 python3-venv（Debian/Ubuntu）后重试。" \
        "$py has no venv module. Install the python3-venv package (Debian/Ubuntu) and retry."
  echo "$py"
}

venv_ok() { [ -x "$PY" ] && "$PY" -m pip --version >/dev/null 2>&1; }

make_venv() {
  if [ -e "$VENV" ] && ! venv_ok; then
    if [ -f "$VENV/pyvenv.cfg" ] || [ -z "$(ls -A "$VENV" 2>/dev/null)" ]; then
      say "==> $VENV 不完整（上次安装可能中断），删除后重建 / $VENV is half-made: removing it"
      rm -rf "$VENV"
    else
      die "$VENV 已存在但不是虚拟环境；请移走它，或用 QUYU_VENV 指定别的目录。" \
          "$VENV exists but is not a virtual environment; move it away or set QUYU_VENV."
    fi
  fi
  [ -e "$VENV" ] && return 0
  local py; py=$(need_python)
  say "==> 建立虚拟环境 $VENV"
  # 安装中途失败时删除半成品，下一次从头再来。
  trap 'rm -rf "$VENV"' EXIT
  if "$py" -c 'import ensurepip' 2>/dev/null; then
    "$py" -m venv "$VENV" ||
      die "建立虚拟环境失败（见上方信息）。" "Creating the virtual environment failed (see above)."
  else
    # Debian/Ubuntu 的 Python 不装 python3-venv 时没有 ensurepip：先建不带 pip 的环境，
    # 再从 PyPI 取锁文件固定的 pip 轮子（核对 sha256）装进去。
    say "==> 这个 Python 没有 ensurepip：从 PyPI 安装锁定版本的 pip / no ensurepip: bootstrapping pip from PyPI"
    "$py" -m venv --without-pip "$VENV" ||
      die "建立虚拟环境失败（见上方信息）。" "Creating the virtual environment failed (see above)."
    "$PY" tools/bootstrap_pip.py requirements-lock.txt ||
      die "无法安装 pip（原因见上方）。请检查能否访问 PyPI（或用 QUYU_PYPI_SIMPLE 指定镜像），或安装系统包 python3-venv 后重试。" \
          "Could not bootstrap pip (see above). Check access to PyPI (or set QUYU_PYPI_SIMPLE to a mirror), or install python3-venv and retry."
  fi
  venv_ok || die "虚拟环境中的 pip 不可用。" "pip does not work in the new virtual environment."
  trap - EXIT
}

# 按锁文件安装（带哈希校验）；锁文件或包的元数据变了才重装。
install_lock() {  # install_lock LOCKFILE STAMPNAME
  local lock=$1 stamp="$VENV/.quyu-$2" want
  want=$(cat "$lock" pyproject.toml requirements*.txt | "$PY" -c 'import hashlib,sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())')
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
  say "==> 安装依赖（$lock，校验哈希）/ installing $lock with hashes"
  rm -f "$stamp"
  "$PY" -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r "$lock" ||
    die "按 $lock 安装依赖失败（见上方信息）。" "Installing $lock failed (see above)."
  # setuptools 在可编辑安装时会打印一大段提醒；成功时不显示，失败时全部显示。
  local log; log=$(mktemp)
  "$PY" -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e . >"$log" 2>&1 ||
    { cat "$log" >&2; rm -f "$log"; die "安装本书的包 quyu 失败。" "Installing the book's package failed."; }
  rm -f "$log"
  "$PY" -m ipykernel install --prefix "$VENV" --name python3 >/dev/null
  echo "$want" > "$stamp"
}

setup() { make_venv; install_lock requirements-lock.txt build-deps; }
setup_test() { make_venv; install_lock requirements-test-lock.txt test-deps; install_npm; }
# 评分工具 Otter-Grader 在测试层（requirements-test.txt）：网页版的构建不需要它。
setup_grader() { make_venv; install_lock requirements-test-lock.txt test-deps; }

# 无障碍检查用的 axe-core 来自 npm（package-lock.json 锁定版本与哈希）；没有 npm 时相应测试跳过。
install_npm() {
  [ -f package-lock.json ] || return 0
  if ! command -v npm >/dev/null 2>&1; then
    say "==> 没有 npm：无障碍测试将跳过（Debian 包 nodejs npm）/ no npm: the accessibility tests will be skipped"
    return 0
  fi
  local stamp=node_modules/.quyu-lock want
  want=$("$PY" -c 'import hashlib,sys; print(hashlib.sha256(open("package-lock.json","rb").read()).hexdigest())')
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
  say "==> 安装 npm 依赖（package-lock.json）/ installing npm test dependencies"
  npm ci --no-audit --no-fund --silent ||
    die "npm ci 失败（见上方信息）。" "npm ci failed (see above)."
  echo "$want" > "$stamp"
}

# ------------------------------------------------------------------ 构建的新鲜度

# 能改变输出的全部输入的指纹。执行缓存：包、数据、依赖、配置与目录（章节源文件由缓存自己识别）。
fingerprint() {  # fingerprint PATH...
  "$PY" - "$@" <<'PY'
import hashlib, pathlib, sys
h = hashlib.sha256()
for root in sys.argv[1:]:
    p = pathlib.Path(root)
    files = sorted(f for f in p.rglob("*") if f.is_file()) if p.is_dir() else ([p] if p.exists() else [])
    for f in files:
        # quyu/answers.json 是构建时由 quyu/ 与 data/ 算出的（见 quyu/parts/answers.py），不是输入；
        # locale/ 中的 .mo 是构建时由 .po 编译的（见 quyu/interface.py），也不是
        if "__pycache__" in f.parts or f.suffix in (".pyc", ".mo") or f.name == "answers.json":
            continue
        h.update(str(f).encode()); h.update(b"\0"); h.update(f.read_bytes())
print(h.hexdigest())
PY
}
CACHE_INPUTS=(quyu data pyproject.toml requirements.txt requirements-lock.txt _config.yml _toc.yml)
# 网站还取决于章节、界面译文与已发布版本的清单（“本版变化”页与上一版比较）；英文版另取决于英文译文。
SITE_INPUTS=("${CACHE_INPUTS[@]}" book locale/zh_CN releases)
EN_SITE_INPUTS=("${SITE_INPUTS[@]}" locale/en)

refresh_cache() {
  local stamp=$BUILD/.quyu-inputs now
  now=$(fingerprint "${CACHE_INPUTS[@]}")
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$now" ]; then
    [ -d "$BUILD/.jupyter_cache" ] && say "==> 包、数据、依赖或配置已改变：清空执行缓存 / inputs changed: clearing the execution cache"
    # Sphinx 只重读改过的源文件：不清掉已解析的页面（doctrees），数据改了而章节没改的页面会留着旧数字。
    rm -rf "$BUILD/.jupyter_cache" "$BUILD/.doctrees" "$BUILD/jupyter_execute" "$BUILD/student/_build" \
           "$BUILD/en/.jupyter_cache" "$BUILD/en/_build" "$BUILD/i18n/_build"
    mkdir -p "$BUILD" && echo "$now" > "$stamp"
  fi
}

is_fresh() {  # is_fresh OUTDIR PRODUCT：OUTDIR 中有 PRODUCT，且是由当前的输入构建的
  [ -f "$1/$2" ] && [ -f "$1/.quyu-inputs" ] && [ "$(cat "$1/.quyu-inputs")" = "$(fingerprint "${SITE_INPUTS[@]}")" ]
}
site_is_fresh() { is_fresh "$BUILD/html" index.html; }
en_is_fresh() {  # en_is_fresh OUTDIR PRODUCT：英文版的输入（含英文译文）没有改变
  [ -f "$1/$2" ] && [ -f "$1/.quyu-inputs" ] && [ "$(cat "$1/.quyu-inputs")" = "$(fingerprint "${EN_SITE_INPUTS[@]}")" ]
}

build_english() {  # build_english html|pdflatex
  refresh_cache
  local inputs out kind=html flag=""
  inputs=$(fingerprint "${EN_SITE_INPUTS[@]}")
  if [ "$1" = pdflatex ]; then kind=latex; flag=--pdf-only; fi
  out="$BUILD/en/_build/$kind"
  rm -f "$out/.quyu-inputs"
  "$PY" -m quyu.edition english $flag ||
    die "英文版构建失败（见上方的单元格错误或 Sphinx 警告）。" "The English edition failed to build (see the cell errors or Sphinx warnings above)."
  echo "$inputs" > "$out/.quyu-inputs"
  say "英文版已构建 / English edition built: $(pwd)/$BUILD/en/$kind"
}

lang_of() {  # lang_of ARGS...：--lang 的值（zh 或 en），没有时为 zh
  local lang=zh
  while [ $# -gt 0 ]; do
    case "$1" in
      --lang) lang=${2:-}; shift 2 || true ;;
      --lang=*) lang=${1#--lang=}; shift ;;
      *) shift ;;
    esac
  done
  case "$lang" in
    zh|en) echo "$lang" ;;
    *) die "不认识的语言：$lang（可选 zh、en）。" "Unknown language: $lang (choose zh or en)." ;;
  esac
}
stamp() { fingerprint "${SITE_INPUTS[@]}" > "$1/.quyu-inputs"; }

# 上一次的成品先放到一边：失败时放回去，读者手里始终是最后一次成功的版本。Sphinx 有已解析的页面
# （$BUILD/.doctrees）时在原处增量构建，只重写改过的页面，成品只复制一份；没有时（第一次，或输入变了）
# 从空目录开始，删掉的章节不会留下旧页面。失败的构建可能已把部分页面记作“已写出”，所以同时丢掉
# Sphinx 的环境，下一次重读全部页面（执行缓存仍然命中）。
build_into() {  # build_into OUTDIR COMMAND...
  local out=$1; shift
  local keep="$out.last-good"
  rm -rf "$keep"
  if [ -d "$out" ]; then
    if [ -d "$BUILD/.doctrees" ]; then cp -a "$out" "$keep"; else mv "$out" "$keep"; fi
  fi
  rm -f "$out/.quyu-inputs"
  if "$@"; then
    rm -rf "$keep"
  else
    rm -rf "$out" "$BUILD/.doctrees"
    [ -d "$keep" ] && mv "$keep" "$out" && say "构建失败：保留上一次成功构建的结果 $out / build failed: the last good build is kept" >&2
    return 1
  fi
}

build_html() {
  refresh_cache
  local inputs; inputs=$(fingerprint "${SITE_INPUTS[@]}")
  build_into "$BUILD/html" "$VENV/bin/jupyter-book" build . --builder html -W -n --keep-going ||
    die "网页版构建失败（见上方的单元格错误或 Sphinx 警告）。" "The HTML build failed (see the cell errors or Sphinx warnings above)."
  echo "$inputs" > "$BUILD/html/.quyu-inputs"
  say ""
  say "网页版已构建：$(pwd)/$BUILD/html/index.html"
  say "Open: file://$(pwd)/$BUILD/html/index.html"
}

build_pdf() {
  refresh_cache
  local inputs; inputs=$(fingerprint "${SITE_INPUTS[@]}")
  build_into "$BUILD/latex" "$VENV/bin/jupyter-book" build . --builder pdflatex -W -n --keep-going ||
    die "PDF 构建失败（见上方信息）。" "The PDF build failed (see above)."
  echo "$inputs" > "$BUILD/latex/.quyu-inputs"
  say "PDF 已构建：$(pwd)/$BUILD/latex/quyu-book.pdf"
}

check_tex() {
  local missing=()
  for tool in xelatex latexmk; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
  if [ ${#missing[@]} -gt 0 ]; then
    die "缺少 ${missing[*]}：PDF 需要 TeX Live（XeLaTeX、xeCJK）与 Noto CJK 字体，安装命令见 README“第三条命令：PDF”。" \
        "Missing ${missing[*]}: the PDF needs TeX Live (XeLaTeX, xeCJK) and Noto CJK fonts; see the README."
  fi
}

main() {
  local cmd=${1:-build}
  shift || true
  case "$cmd" in
    build)   local lang; lang=$(lang_of "$@")
             setup
             if [ "$lang" = en ]; then
               if en_is_fresh "$BUILD/en/_build/html" index.html; then say "英文版已是最新 / the English site is up to date"
               else build_english html; fi
             # 输入（代码、数据、章节、配置、译文、已发布的清单）都没变：网页版已是最新，不必再跑 Sphinx
             elif site_is_fresh; then say "网页版已是最新（输入没有改变）：$(pwd)/$BUILD/html/index.html / the site is up to date"
             else build_html; fi ;;
    gettext) setup
             "$PY" -m quyu.edition gettext ||
               die "抽取待译段落失败（见上方信息）。" "Extracting the messages failed (see above)."
             "$PY" -m quyu.translation update
             "$PY" -m quyu.translation status | tail -n 40
             "$PY" -m quyu.translation check ;;
    setup)   setup ;;
    venv)    make_venv ;;
    test)    setup_test
             if ! site_is_fresh; then say "==> 网页版不存在或已过时，先重建 / the site is missing or stale: rebuilding"; build_html; fi
             # 每次测试都用一个全新的 matplotlib 缓存目录（新机器上就是这样）。
             MPLCONFIGDIR=$(mktemp -d); export MPLCONFIGDIR
             local status=0
             "$PY" -m pytest "$@" || status=$?
             rm -rf "$MPLCONFIGDIR"; return $status ;;
    pdf)     local lang; lang=$(lang_of "$@")
             check_tex; setup
             if [ "$lang" = en ]; then build_english pdflatex; else build_pdf; fi ;;
    student) setup; refresh_cache; "$PY" -m quyu.edition student "$@"
             stamp "$BUILD/student/_build/html"
             if [ "${1:-}" = "--pdf" ]; then stamp "$BUILD/student/_build/latex"; fi ;;
    release) check_tex; setup
             # 已由当前输入构建好的版本不再重建（CI 中刚刚构建过网页版、PDF 与学生版）
             site_is_fresh || build_html
             is_fresh "$BUILD/latex" quyu-book.pdf || build_pdf
             if ! is_fresh "$BUILD/student/_build/latex" quyu-book.pdf || ! is_fresh "$BUILD/student/_build/html" index.html; then
               refresh_cache; "$PY" -m quyu.edition student --pdf ||
                 die "学生版构建失败（见上方信息）。" "The student edition failed to build (see above)."
               stamp "$BUILD/student/_build/html"; stamp "$BUILD/student/_build/latex"
             fi
             "$PY" -m quyu.release ;;
    assignments)
             # 题面中的数值与自查答案都来自构建：网页版过时则先重建
             setup_grader
             if ! site_is_fresh; then say "==> 网页版不存在或已过时，先重建 / the site is missing or stale: rebuilding"; build_html; fi
             "$PY" -m quyu.assignments "$@" ||
               die "生成作业失败（见上方信息）。" "Writing the assignments failed (see above)." ;;
    clean)   rm -rf "$BUILD/html" "$BUILD/latex" "$BUILD/student" "$BUILD/assignments" "$BUILD"/*.last-good ;;
    -h|--help|help) usage ;;
    *)       printf '未知的子命令：%s / unknown subcommand: %s\n' "$cmd" "$cmd" >&2; usage; return 2 ;;
  esac
}

# 被 source 时只定义函数（供测试调用），直接运行时执行子命令。
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  main "$@"
fi
