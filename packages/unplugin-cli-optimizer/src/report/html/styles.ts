/** The HTML report's stylesheet (inline: the page loads nothing). */
export const STYLES = `
*{box-sizing:border-box}
body{margin:0;font:13px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2330;background:#f5f6f8}
header{display:flex;flex-wrap:wrap;gap:12px;align-items:center;padding:10px 16px;background:#1d2330;color:#fff}
header h1{font-size:16px;margin:0}
header .outdir{opacity:.7;font-family:ui-monospace,monospace}
header select{max-width:380px}
.modes button{border:1px solid #5a6478;background:#2b3344;color:#fff;padding:3px 10px;cursor:pointer}
.modes button[aria-pressed=true]{background:#4f8cff;border-color:#4f8cff}
main{padding:10px 16px}
.bar{display:flex;justify-content:space-between;align-items:center;gap:12px;margin-bottom:6px}
#crumbs .crumb{border:0;background:none;color:#2357c6;cursor:pointer;padding:0;font:inherit}
#crumbs .crumb:last-child{color:#1d2330;font-weight:600;cursor:default}
#treemap{position:relative;height:62vh;min-height:360px;background:#e3e6ec;border:1px solid #c8ccd4;overflow:hidden}
.cell{position:absolute;overflow:hidden;cursor:pointer;border-radius:2px;color:#fff;outline:none}
.cell:hover,.cell:focus{box-shadow:inset 0 0 0 2px #fff}
.cell .label{padding:2px 4px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;font-size:11px;text-shadow:0 1px 1px rgba(0,0,0,.45)}
.cell .label .size{opacity:.85}
.kind-chunk>.label{font-weight:600}
.note{margin:4px 0;color:#7a4b00;background:#fff4d6;padding:4px 8px;border-radius:3px}
.details{color:#4a5163;min-height:1.4em}
section{margin-top:18px}
section h2{font-size:14px;margin:0 0 6px}
.count{color:#6b7385;font-weight:400}
table{border-collapse:collapse;width:100%;background:#fff;margin-bottom:8px}
th,td{text-align:left;padding:3px 8px;border-bottom:1px solid #e6e8ee;vertical-align:top}
th{background:#eef0f4;font-weight:600}
td{word-break:break-word}
`
