//! The review page of one report: a self-contained HTML file (no network), readable when
//! printed. The summary comes first, each value a link that scrolls to and flashes its
//! evidence in the text; then the lesions and the staging scores with their inputs; then the
//! report text with whole-word highlights coloured by fact kind, negated findings struck
//! through, historical and hypothetical ones marked. `j`/`k` (or `n`/`p`) step through the
//! highlighted facts.
//!
//! Each evidence span is a group `e{n}`: every piece of text inside it carries
//! `data-ev="e{n}"` (a piece inside several spans names each), so the text of a group is
//! exactly the evidence text of the record; a link names its group in `href` and the
//! evidence text in `data-text`.

use std::fmt::Write;

use super::page::{Linked, Page, SpanKind};
use super::Explanation;
use crate::record::Temporality;

/// HTML-escapes text.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

const CSS: &str = r#"
body{font-family:system-ui,sans-serif;margin:1.5em auto;max-width:72em;padding:0 1em;color:#222}
h1{font-size:1.3em}h2{font-size:1.1em;margin-top:1.5em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:top;font-size:92%}
th{background:#f4f4f4}
pre.report{white-space:pre-wrap;border:1px solid #ccc;padding:1em;line-height:1.7;font-size:95%}
a.ev{color:#0645ad;text-decoration:none;border-bottom:1px dotted #0645ad}
.w{border-radius:2px}
.k-lesion{background:#ffd6d6}.k-size{background:#d6e9ff}.k-count{background:#e6d6ff}
.k-location{background:#d6ffe0}.k-pattern{background:#fff1c2}.k-ihc{background:#ffe0b3}
.k-pathology{background:#e0f0f0}.k-modality{background:#eee}.k-clinical{background:#f0e6dc}
.absent{text-decoration:line-through;color:#777}
.uncertain{border-bottom:2px dashed #b58900}
.historical,.future{font-style:italic}
.historical::after{content:"\2009(hist.)";font-size:75%;color:#666}
.future::after{content:"\2009(hyp.)";font-size:75%;color:#666}
tr.absent td{color:#777;text-decoration:line-through}
.flash{animation:flash 1.2s ease-out 1}
@keyframes flash{0%{outline:3px solid #e4572e;background:#ffef9e}100%{outline:0}}
.focus{outline:2px solid #e4572e}
.legend span{margin-right:.6em;padding:0 .3em}
.muted{color:#777}
@media print{a.ev{border:0;color:inherit}.noprint{display:none}.w{background:none!important;border-bottom:1.5px solid #555}}
"#;

const JS: &str = r#"
(function(){
  var errors=0;
  window.addEventListener('error',function(){errors++;document.body.setAttribute('data-js-errors',String(errors));});
  function group(id){return document.querySelectorAll('[data-ev~="'+id+'"]');}
  function flash(id){
    var els=group(id);
    for(var i=0;i<els.length;i++){els[i].classList.remove('flash');void els[i].offsetWidth;els[i].classList.add('flash');}
    if(els.length){els[0].scrollIntoView({block:'center'});}
  }
  document.addEventListener('click',function(e){
    var a=e.target.closest?e.target.closest('a.ev'):null;
    if(!a){return;}
    e.preventDefault();
    var id=a.getAttribute('href').slice(1);
    flash(id);
    if(history.replaceState){history.replaceState(null,'','#'+id);}
  });
  var order=[];
  var seen={};
  var all=document.querySelectorAll('pre.report [data-ev]');
  for(var i=0;i<all.length;i++){
    var ids=all[i].getAttribute('data-ev').split(' ');
    for(var j=0;j<ids.length;j++){if(!seen[ids[j]]){seen[ids[j]]=1;order.push(ids[j]);}}
  }
  var at=-1;
  document.addEventListener('keydown',function(e){
    if(e.altKey||e.ctrlKey||e.metaKey||!order.length){return;}
    var k=e.key;
    if(k==='j'||k==='n'){at=(at+1)%order.length;}
    else if(k==='k'||k==='p'){at=(at-1+order.length)%order.length;}
    else{return;}
    var prev=document.querySelectorAll('.focus');
    for(var i=0;i<prev.length;i++){prev[i].classList.remove('focus');}
    var els=group(order[at]);
    for(var i=0;i<els.length;i++){els[i].classList.add('focus');}
    flash(order[at]);
  });
  if(location.hash&&location.hash.length>2&&group(location.hash.slice(1)).length){flash(location.hash.slice(1));}
  document.body.setAttribute('data-js-errors',String(errors));
  document.body.setAttribute('data-ready','1');
})();
"#;

fn links(out: &mut String, l: &Linked, page: &Page, text: &str) {
    match l.groups.first() {
        Some(&g) => {
            let grp = &page.groups[g];
            let _ = write!(
                out,
                "<a class=\"ev\" href=\"#e{g}\" data-text=\"{}\" title=\"{}\">{}</a>",
                escape(&text[grp.start..grp.end]),
                escape(&grp.notes.join("\n")),
                escape(&l.value)
            );
            for (i, &g) in l.groups.iter().enumerate().skip(1) {
                let grp = &page.groups[g];
                let _ = write!(
                    out,
                    " <a class=\"ev\" href=\"#e{g}\" data-text=\"{}\" title=\"{}\"><sup>{}</sup></a>",
                    escape(&text[grp.start..grp.end]),
                    escape(&grp.notes.join("\n")),
                    i + 1
                );
            }
        }
        None => out.push_str(&escape(&l.value)),
    }
}

fn group_classes(page: &Page, g: usize) -> String {
    let grp = &page.groups[g];
    let mut c = format!("w k-{}", grp.kind.name());
    if grp.absent {
        c.push_str(" absent");
    } else if grp.uncertain {
        c.push_str(" uncertain");
    }
    match grp.temporality {
        Temporality::Historical => c.push_str(" historical"),
        Temporality::Future => c.push_str(" future"),
        Temporality::Current => {}
    }
    c
}

/// Renders the review page of one report.
pub fn render(ex: &Explanation, page: &Page, text: &str, title: &str) -> String {
    let mut out = String::with_capacity(text.len() * 6 + 16_384);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width\">\
         <title>radpath review: {t}</title>\n<style>{CSS}</style></head><body>\n\
         <h1>radpath review: {t}</h1>\n<p class=\"muted\">language {lang}; {n} highlighted \
         spans. Click a value to see where it was read; <kbd>j</kbd>/<kbd>k</kbd> step through \
         the highlights.</p>\n",
        t = escape(title),
        lang = ex.language.as_str(),
        n = page.groups.len(),
    );

    out.push_str(
        "<h2>Summary</h2>\n<table class=\"summary\"><tr><th>field</th><th>value</th></tr>\n",
    );
    for row in &page.summary {
        let _ = write!(out, "<tr><td>{}</td><td>", escape(&row.field));
        if row.values.is_empty() {
            out.push_str("<span class=\"muted\">none</span>");
        }
        for (i, v) in row.values.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            links(&mut out, v, page, text);
        }
        out.push_str("</td></tr>\n");
    }
    out.push_str("</table>\n");

    out.push_str("<h2>Lesions</h2>\n");
    if page.lesions.is_empty() {
        out.push_str("<p class=\"muted\">No liver lesion described.</p>\n");
    } else {
        out.push_str("<table class=\"lesions\"><tr><th>#</th><th>kind</th><th>count</th><th>size</th><th>segments</th><th>patterns</th><th>assertion</th><th>evidence</th></tr>\n");
        for (i, l) in page.lesions.iter().enumerate() {
            let _ = write!(
                out,
                "<tr{}><td>{}</td>",
                if l.absent { " class=\"absent\"" } else { "" },
                i + 1
            );
            for c in &l.cells {
                let _ = write!(out, "<td>{}</td>", escape(c));
            }
            out.push_str("<td>");
            for (j, &g) in l.groups.iter().enumerate() {
                if j > 0 {
                    out.push(' ');
                }
                let grp = &page.groups[g];
                let _ = write!(
                    out,
                    "<a class=\"ev\" href=\"#e{g}\" data-text=\"{}\">{}</a>",
                    escape(&text[grp.start..grp.end]),
                    escape(&text[grp.start..grp.end])
                );
            }
            out.push_str("</td></tr>\n");
        }
        out.push_str("</table>\n");
    }

    out.push_str("<h2>Staging</h2>\n<table class=\"staging\"><tr><th>score</th><th>value</th><th>inputs</th></tr>\n");
    for s in &page.staging {
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td>",
            escape(&s.name),
            escape(&s.value)
        );
        for (i, input) in s.inputs.iter().enumerate() {
            if i > 0 {
                out.push_str("; ");
            }
            links(&mut out, input, page, text);
        }
        out.push_str("</td></tr>\n");
    }
    out.push_str("</table>\n");

    out.push_str("<h2>Report</h2>\n<p class=\"legend noprint\">");
    for k in SpanKind::ALL {
        let _ = write!(out, "<span class=\"w k-{0}\">{0}</span>", k.name());
    }
    out.push_str("<span class=\"absent\">negated</span><span class=\"uncertain\">hedged</span><span class=\"historical\">historical</span><span class=\"future\">hypothetical</span></p>\n<pre class=\"report\">");
    for p in &page.pieces {
        let piece = escape(&text[p.start..p.end]);
        if !p.groups.is_empty() {
            let top = *p.groups.last().unwrap_or(&p.groups[0]);
            let ids: Vec<String> = p.groups.iter().map(|g| format!("e{g}")).collect();
            let first_of: Vec<&usize> = p
                .groups
                .iter()
                .filter(|&&g| page.groups[g].start == p.start)
                .collect();
            // A span can hold one id: further groups starting here get an empty anchor.
            for g in first_of.iter().skip(1) {
                let _ = write!(out, "<span id=\"e{g}\"></span>");
            }
            let id_attr = first_of
                .first()
                .map(|g| format!(" id=\"e{g}\""))
                .unwrap_or_default();
            let tip: Vec<String> = p
                .groups
                .iter()
                .flat_map(|&g| page.groups[g].notes.iter().cloned())
                .collect();
            let _ = write!(
                out,
                "<span{id_attr} class=\"{}\" data-ev=\"{}\" title=\"{}\">{piece}</span>",
                group_classes(page, top),
                ids.join(" "),
                escape(&tip.join("\n"))
            );
        } else if let Some(g) = p.word_of {
            let _ = write!(
                out,
                "<span class=\"{}\">{piece}</span>",
                group_classes(page, g)
            );
        } else {
            out.push_str(&piece);
        }
    }
    out.push_str("</pre>\n");
    let _ = write!(
        out,
        "<p class=\"muted\">radpath {} &middot; every highlight is evidence of a fact in the \
         record; hover for the rule and the value read.</p>\n<script>{JS}</script>\n</body></html>\n",
        env!("CARGO_PKG_VERSION")
    );
    out
}
