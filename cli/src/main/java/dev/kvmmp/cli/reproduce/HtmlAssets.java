package dev.kvmmp.cli.reproduce;

/** The report page's own style sheet and the script that draws its charts. */
final class HtmlAssets {

  static final String CSS = """
      :root { --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --head: #f6f8fa; }
      * { box-sizing: border-box; }
      body { margin: 0 auto; max-width: 1360px; padding: 24px 28px 48px; color: var(--fg);
        font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; }
      h1 { font-size: 24px; margin: 0 0 6px; }
      h1 .sub { font-weight: normal; color: var(--muted); font-size: 18px; margin-left: 8px; }
      h2 { font-size: 18px; margin: 32px 0 12px; padding-bottom: 4px;
        border-bottom: 1px solid var(--line); }
      .machine { margin: 0; font-family: ui-monospace, "DejaVu Sans Mono", monospace;
        font-size: 13px; }
      .meta, .none, .plot-note { color: var(--muted); }
      .meta { margin: 4px 0 0; }
      .banner { margin: 14px 0 0; padding: 8px 14px; border-radius: 6px; font-weight: 600; }
      .banner-quick { background: #fff8c5; border: 1px solid #d4a72c; }
      .banner-partial { background: #ffebe9; border: 1px solid #cf222e; color: #82071e; }
      table.findings { border-collapse: collapse; width: 100%; }
      .findings th, .findings td { border: 1px solid var(--line); padding: 6px 9px;
        text-align: left; vertical-align: top; }
      .findings th { background: var(--head); white-space: nowrap; }
      .findings tbody tr:nth-child(even) { background: #fbfcfd; }
      .findings td.finding { font-weight: 700; }
      .findings td.number { font-variant-numeric: tabular-nums; white-space: nowrap; }
      .findings td.runs { text-align: right; }
      .findings td.reason { color: var(--muted); }
      .findings td.verdict { font-weight: 600; white-space: nowrap; }
      td.verdict-reproduced { background: #dafbe1; color: #116329; }
      td.verdict-not-reproduced { background: #ffebe9; color: #a40e26; }
      td.verdict-not-testable { background: #fff8c5; color: #7d4e00; }
      td.verdict-not-measured { background: #eaeef2; color: #59636e; }
      td.verdict-contrast { background: #ddf4ff; color: #0a3069; }
      .plot-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(600px, 1fr));
        gap: 18px; }
      .plot-box { margin: 0; padding: 10px 12px; border: 1px solid var(--line);
        border-radius: 6px; }
      .plot-box figcaption { font-weight: 600; margin-bottom: 4px; }
      .plot { width: 100%; }
      .plot.failed { height: auto; color: #a40e26; }
      .plot-note { margin: 4px 0 0; font-size: 13px; }
      ul.notes { padding-left: 22px; }
      """;

  /**
   * Draws every chart listed in the page's JSON; a chart that fails says so in its box instead
   * of leaving it blank, and the body's data-charts-rendered attribute counts the ones drawn.
   */
  static final String INIT_SCRIPT = """
      (function () {
        var charts = JSON.parse(document.getElementById('kvmmp-charts').textContent);
        var drawn = [];
        charts.forEach(function (c) {
          var el = document.getElementById(c.id);
          try {
            var chart = echarts.init(el, null, {renderer: 'svg'});
            chart.setOption(c.option);
            drawn.push(chart);
          } catch (e) {
            el.classList.add('failed');
            el.textContent = 'this chart could not be drawn: ' + e;
          }
        });
        window.addEventListener('resize', function () {
          drawn.forEach(function (chart) { chart.resize(); });
        });
        document.body.setAttribute('data-charts-rendered', String(drawn.length));
      })();
      """;

  private HtmlAssets() {}
}
