#!/usr/bin/env bash
# Checks an ecg eval report page (<name>_report.html) in a real headless browser (Chromium), with the network blocked:
#   scripts/check_report.sh REPORT.html [SCREENSHOT.png]
# Fails (exit 1) when the page references anything outside itself (in its source or as a fetch the browser
# attempts), raises a script or resource error, or has a figure that renders empty (no SVG, zero size, or no
# drawn line). Writes a full-page screenshot (default: REPORT.png beside the report) and prints its path.
# Needs Chromium: on Debian/Ubuntu `apt-get install chromium` (or set CHROMIUM=/path/to/chrome).
set -euo pipefail

if [[ $# -lt 1 || $# -gt 2 ]]; then
  echo "usage: $0 REPORT.html [SCREENSHOT.png]" >&2
  exit 2
fi
report=$1
screenshot=${2:-${report%.html}.png}
[[ -f $report ]] || { echo "check_report: no such file: $report" >&2; exit 2; }

browser=${CHROMIUM:-}
if [[ -z $browser ]]; then
  for candidate in chromium chromium-browser google-chrome; do
    if command -v "$candidate" >/dev/null 2>&1; then browser=$(command -v "$candidate"); break; fi
  done
fi
if [[ -z $browser ]]; then
  echo "check_report: Chromium is not installed. Install it with 'apt-get install chromium' (Debian/Ubuntu)" \
    "or point CHROMIUM at a Chrome binary." >&2
  exit 3
fi

failures=()
fail() { failures+=("$1"); }

# 1. The source: nothing that could fetch (URLs, src attributes, stylesheets, imports, scripts).
for pattern in 'http://' 'https://' 'src=' '<link' '@import' '<script' '<iframe' '<object' '<embed'; do
  if grep -qiF -- "$pattern" "$report"; then
    fail "the page source contains '$pattern' (line $(grep -niF -- "$pattern" "$report" | head -1 | cut -d: -f1))"
  fi
done
if grep -oiE 'url\([^)]*\)' "$report" | grep -viqE '^url\(#'; then
  fail "the page source has a url(...) that does not point inside the page: $(grep -oiE 'url\([^)]*\)' "$report" | grep -viE '^url\(#' | head -1)"
fi
figures_in_source=$(grep -o '<figure>' "$report" | wc -l || true)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Resolving every host fails, so any fetch the page tried would be an error; the check below lists them all.
flags=(--headless --no-sandbox --disable-gpu --no-first-run --no-default-browser-check --disable-extensions
  --disable-background-networking --disable-component-update --disable-sync --mute-audio --hide-scrollbars
  "--host-resolver-rules=MAP * ~NOTFOUND" "--user-data-dir=$work/profile")

# 2. In the browser: a copy of the page with a probe script that records CSP violations (every fetch the page
# attempts is one: the copy forbids all fetches), script and resource errors, and what each figure draws.
cat >"$work/probe.html" <<'JS'
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<script>
var reportCheck = { violations: [], errors: [] };
document.addEventListener('securitypolicyviolation', function (e) {
  reportCheck.violations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline'));
});
window.addEventListener('error', function (e) {
  reportCheck.errors.push(e.message || ('failed to load ' + (e.target && e.target.outerHTML || '?').slice(0, 120)));
}, true);
window.addEventListener('load', function () {
  var lines = [];
  var figures = document.querySelectorAll('figure');
  lines.push('FIGURES ' + figures.length);
  figures.forEach(function (figure, index) {
    var name = 'figure ' + (index + 1);
    var svg = figure.querySelector('svg');
    if (!svg) { lines.push('FAIL ' + name + ' has no SVG'); return; }
    var box = svg.getBoundingClientRect();
    if (box.width < 20 || box.height < 20) { lines.push('FAIL ' + name + ' renders ' + box.width + 'x' + box.height + ' px'); return; }
    var drawn = 0;
    svg.querySelectorAll('path, line, polyline').forEach(function (element) {
      var b = element.getBBox();
      if ((b.width > 0 || b.height > 0) && getComputedStyle(element).display !== 'none') { drawn += 1; }
    });
    var traces = 0;
    svg.querySelectorAll('path').forEach(function (p) { if (p.getTotalLength() > 30) { traces += 1; } });
    if (drawn === 0 || traces === 0) { lines.push('FAIL ' + name + ' draws nothing (' + drawn + ' marks, ' + traces + ' lines)'); }
    else { lines.push('OK ' + name + ' ' + Math.round(box.width) + 'x' + Math.round(box.height) + ' px, ' + traces + ' lines'); }
  });
  if (document.querySelector('parsererror')) { lines.push('FAIL the page has an XML/SVG parse error'); }
  if (!document.querySelector('h1') || !document.querySelector('h1').textContent.trim()) { lines.push('FAIL the page has no title heading'); }
  reportCheck.violations.forEach(function (v) { lines.push('FAIL the page tried to fetch: ' + v); });
  reportCheck.errors.forEach(function (e) { lines.push('FAIL error: ' + e); });
  lines.push('HEIGHT ' + Math.ceil(document.documentElement.scrollHeight));
  var out = document.createElement('pre');
  out.id = 'report-check';
  var newline = String.fromCharCode(10);
  out.textContent = newline + lines.join(newline) + newline;
  document.body.appendChild(out);
});
</script>
JS
# The page's own policy would block the probe; the copy swaps it for one that allows only inline script.
policy='http-equiv="Content-Security-Policy"'
{
  sed -n '1,/<head>/p' "$report" | grep -vF "$policy"
  cat "$work/probe.html"
  sed '1,/<head>/d' "$report" | grep -vF "$policy"
} >"$work/probed.html"
"$browser" "${flags[@]}" --virtual-time-budget=10000 --dump-dom "file://$work/probed.html" \
  >"$work/dom.html" 2>"$work/browser.log" || fail "Chromium exited with an error while loading the page: $(tail -3 "$work/browser.log")"
sed -n '/<pre id="report-check">/,/<\/pre>/p' "$work/dom.html" | sed -e 's/<[^>]*>//g' -e 's/&lt;/</g' -e 's/&gt;/>/g' \
  -e 's/&amp;/\&/g' | grep -v '^$' >"$work/result.txt" || true
if [[ ! -s $work/result.txt ]]; then
  fail "the browser produced no check result (the page did not load or the probe did not run); browser log: $(tail -3 "$work/browser.log")"
else
  grep '^OK ' "$work/result.txt" || true
  while IFS= read -r line; do fail "${line#FAIL }"; done < <(grep '^FAIL ' "$work/result.txt" || true)
  figures_rendered=$(sed -n 's/^FIGURES //p' "$work/result.txt")
  if [[ $figures_rendered != "$figures_in_source" ]]; then
    fail "the source has $figures_in_source figures but the browser found $figures_rendered"
  fi
fi

# 3. A full-page screenshot of the page as it is (its own policy in force).
height=$(sed -n 's/^HEIGHT //p' "$work/result.txt" 2>/dev/null | head -1)
height=${height:-2000}
(( height > 20000 )) && height=20000
"$browser" "${flags[@]}" --window-size="1280,$height" --screenshot="$screenshot" "file://$(realpath "$report")" \
  >"$work/shot.log" 2>&1 || fail "Chromium could not take a screenshot: $(tail -3 "$work/shot.log")"
[[ -s $screenshot ]] || fail "no screenshot was written to $screenshot"

if (( ${#failures[@]} > 0 )); then
  printf 'check_report: FAIL %s\n' "${failures[@]}" >&2
  exit 1
fi
echo "check_report: OK $report ($figures_in_source figures, no external references); screenshot $screenshot"
