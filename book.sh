#!/usr/bin/env bash
# 《区域协调发展》可执行教材的构建与测试入口。
#   ./book.sh build     建立 .venv、安装依赖、构建 HTML（第一条命令）
#   ./book.sh test      运行全部测试（第二条命令；需先 build）
#   ./book.sh pdf       构建 PDF（需 TeX 与字体，见 README）
#   ./book.sh student   构建不含习题答案的学生版（HTML；加 --pdf 同时构建 PDF）
#   ./book.sh clean     删除构建结果（保留执行缓存）
# 不需要 root 权限；只在本目录内写文件。
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

VENV=${QUYU_VENV:-.venv}
PY="$VENV/bin/python"

need_python() {
  local py=${PYTHON:-python3}
  if ! "$py" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
    echo "需要 Python 3.11 或更高版本（可用环境变量 PYTHON 指定解释器）。/ Python 3.11+ is required." >&2
    exit 1
  fi
  echo "$py"
}

setup() {
  if [ ! -x "$PY" ]; then
    local py; py=$(need_python)
    echo "==> 建立虚拟环境 $VENV"
    "$py" -m venv "$VENV"
  fi
  local stamp="$VENV/.quyu-installed"
  if [ ! -f "$stamp" ] || [ requirements.txt -nt "$stamp" ] || [ requirements-lock.txt -nt "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    echo "==> 安装依赖（requirements.txt，约束 requirements-lock.txt）"
    "$PY" -m pip install --quiet --upgrade pip
    "$PY" -m pip install --quiet -r requirements.txt -c requirements-lock.txt
    "$PY" -m pip install --quiet --no-deps -e .
    "$PY" -m ipykernel install --prefix "$VENV" --name python3 >/dev/null
    touch "$stamp"
  fi
}

# 执行缓存只认笔记本中的代码；quyu/ 或 data/ 一变，缓存的输出就可能过时，于是清空。
refresh_cache() {
  local stamp=_build/.quyu-inputs
  local now
  now=$("$PY" - <<'PY'
import hashlib, pathlib
h = hashlib.sha256()
for p in sorted([*pathlib.Path("quyu").rglob("*"), *pathlib.Path("data").rglob("*")]):
    if p.is_file() and "__pycache__" not in p.parts:
        h.update(str(p).encode()); h.update(p.read_bytes())
print(h.hexdigest())
PY
)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$now" ]; then
    rm -rf _build/.jupyter_cache
    mkdir -p _build && echo "$now" > "$stamp"
  fi
}

build_html() {
  refresh_cache
  rm -rf _build/html
  "$VENV/bin/jupyter-book" build . --builder html -W -n --keep-going
  echo
  echo "网页版已构建：$(pwd)/_build/html/index.html"
  echo "Open: file://$(pwd)/_build/html/index.html"
}

build_pdf() {
  refresh_cache
  rm -rf _build/latex
  "$VENV/bin/jupyter-book" build . --builder pdflatex -W -n --keep-going
  echo "PDF 已构建：$(pwd)/_build/latex/quyu-book.pdf"
}

cmd=${1:-build}
shift || true
case "$cmd" in
  build) setup; build_html ;;
  setup) setup ;;
  test)  setup; [ -f _build/html/index.html ] || build_html; "$PY" -m pytest "$@" ;;
  pdf)   setup; build_pdf ;;
  student) setup; "$PY" -m quyu.edition student "$@" ;;
  clean) rm -rf _build/html _build/latex _build/student ;;
  *) echo "用法 / usage: ./book.sh {build|test|pdf|student|clean}" >&2; exit 2 ;;
esac
