# Shared by the bench scripts: `measure LABEL URL [curl args…]` times N sequential requests
# (N from the caller's $n) and prints min / median / p95 / max of curl's total time in ms.
measure() {
  local label=$1 url=$2
  shift 2
  for _ in $(seq "$n"); do
    curl -s -o /dev/null -w '%{http_code} %{time_total}\n' "$@" "$url"
  done | sort -k2 -n | awk -v label="$label" '
    $1 != 200 { bad++ }
    { t[NR] = $2 * 1000 }
    END {
      n = NR
      printf "%-28s n=%d non200=%d min=%.2fms median=%.2fms p95=%.2fms max=%.2fms\n", \
        label, n, bad + 0, t[1], t[int((n+1)/2)], t[int(n*0.95)], t[n]
    }'
}
