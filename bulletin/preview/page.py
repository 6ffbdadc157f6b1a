"""The preview page: a shell whose script shows each state the server sends.

Kept in a module rather than a data file so that it ships with any install of the package.
Diagnostics are written with textContent, never as HTML: a submission cannot inject markup.
"""

from __future__ import annotations

from html import escape
PAGE = """\
<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>@TITLE@</title>
<style>
  body { margin: 0; background: #dcdcdc; color: #222;
         font: 15px/1.6 system-ui, "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; }
  header { position: sticky; top: 0; z-index: 1; display: flex; flex-wrap: wrap; gap: 4px 16px;
           align-items: baseline; padding: 8px 16px; background: #fff;
           border-bottom: 1px solid #bbb; }
  header h1 { font-size: 16px; margin: 0; }
  .draft-badge { background: #c00; color: #fff; padding: 0 6px; border-radius: 3px; }
  #status { color: #555; }
  body[data-state="error"] #status { color: #b00; }
  body[data-building="true"] #status::after { content: " · 正在排版…"; }
  body[data-connection="lost"] #status { color: #b00; }
  #pdf { margin-left: auto; }
  #problems { max-width: 961px; margin: 16px auto; padding: 12px 16px; background: #fff3f3;
              border: 1px solid #d99; }
  #problems h2 { font-size: 16px; margin: 0; color: #b00; }
  #problems ol { margin: 8px 0; padding-left: 1.5em; }
  #problems li { margin: 4px 0; }
  #problems pre { margin: 2px 0 0; padding: 2px 6px; background: #fff; white-space: pre-wrap; }
  #problems p { margin: 0; color: #555; }
  #notes { max-width: 961px; margin: 16px auto; padding: 12px 16px; background: #fffbe6;
           border: 1px solid #e6d9a0; }
  #notes h2 { font-size: 16px; margin: 0; color: #7a5d00; }
  #notes ol { margin: 8px 0; padding-left: 1.5em; }
  #notes li { margin: 4px 0; }
  #notes pre { margin: 2px 0 0; padding: 2px 6px; background: #fff; white-space: pre-wrap; }
  #pages img { display: block; margin: 16px auto; max-width: calc(100% - 32px); height: auto;
               background: #fff; box-shadow: 0 1px 6px rgba(0, 0, 0, .35); }
  #pages:empty::before { display: block; padding: 48px; text-align: center; color: #555;
                         content: attr(data-empty); }
</style>
</head>
<body data-state="waiting" data-building="false">
<header>
  <h1>@HEADING@</h1>
  <span id="status">正在排版…</span>
  <a id="pdf" href="/issue.pdf" target="_blank" hidden>打开 PDF</a>
</header>
<section id="problems" role="alert" hidden>
  <h2 id="problems-title"></h2>
  <ol id="problem-list"></ol>
  <p id="problems-note"></p>
</section>
<section id="notes" hidden>
  <h2 id="notes-title"></h2>
  <ol id="note-list"></ol>
</section>
<main id="pages" data-build="0" data-empty="正在排版，请稍候…" aria-label="页面"></main>
<script>
"use strict";
const body = document.body;
const pages = document.getElementById("pages");
const statusText = document.getElementById("status");
const problems = document.getElementById("problems");
let queue = Promise.resolve();

function clock(seconds) {
  return new Date(seconds * 1000).toLocaleTimeString("zh-CN", {hour12: false});
}

function showStatus(state) {
  body.dataset.building = String(state.building);
  body.dataset.connection = "open";
  if (state.ok === null) {
    body.dataset.state = "waiting";
    statusText.textContent = "正在排版…";
    return;
  }
  body.dataset.state = state.ok ? "ok" : "error";
  statusText.textContent = state.ok
    ? `第 ${state.build} 次排版：${state.pages.length} 页，用时 ${state.seconds} 秒（${clock(state.finished)}）`
    : `第 ${state.build} 次排版：有 ${state.problems.length} 个问题（${clock(state.finished)}）`;
  document.getElementById("pdf").hidden = state.pages.length === 0;
}

function listItems(entries) {
  return entries.map(entry => {
    const item = document.createElement("li");
    const where = entry.location ? `${entry.location}: ` : "";
    const code = entry.code ? `${entry.code} ` : "";
    const kind = entry.severity === "warning" ? "[警告] " : "";
    item.append(where + code + kind + entry.message);
    if (entry.source) {
      const line = document.createElement("pre");
      line.textContent = entry.source;
      item.append(line);
    }
    return item;
  });
}

function showNotes(state) {
  const notes = document.getElementById("notes");
  const entries = state.notes || [];
  notes.hidden = entries.length === 0;
  if (notes.hidden) return;
  const errors = entries.filter(entry => entry.severity === "error").length;
  document.getElementById("notes-title").textContent = errors
    ? `编辑检查：${entries.length} 个问题（其中 ${errors} 个错误，bulletin build 会拒绝排版）`
    : `编辑检查：${entries.length} 个警告（不影响排版）`;
  document.getElementById("note-list").replaceChildren(...listItems(entries));
}

function showProblems(state) {
  problems.hidden = state.ok !== false;
  if (problems.hidden) return;
  document.getElementById("problems-title").textContent =
    `有 ${state.problems.length} 个问题，未能重新排版：`;
  document.getElementById("problem-list").replaceChildren(...listItems(state.problems));
  document.getElementById("problems-note").textContent = state.pages.length
    ? `改正后保存，页面自动更新。下面仍是上次排版成功的页面（第 ${state.pages_build} 次）。`
    : "改正后保存，页面自动更新。尚无排版成功的页面。";
  pages.dataset.empty = "尚无排版成功的页面。";
}

async function showPages(state) {
  // Load the new images first, then swap them in at once: no blank flash, scroll kept.
  const fresh = state.pages.filter((page, i) => pages.children[i]?.getAttribute("src") !== page.src);
  await Promise.all(fresh.map(page => {
    const image = new Image();
    image.src = page.src;
    return image.decode().catch(() => {});
  }));
  state.pages.forEach((page, i) => {
    let image = pages.children[i];
    if (!image) {
      image = document.createElement("img");
      pages.append(image);
    }
    image.width = page.width;
    image.height = page.height;
    image.alt = `第 ${i + 1} 页`;
    if (image.getAttribute("src") !== page.src) image.src = page.src;
  });
  while (pages.children.length > state.pages.length) pages.lastElementChild.remove();
  pages.dataset.build = String(state.pages_build);
  window.previewShown = {build: state.pages_build, at: Date.now()};
  console.log(`preview:pages ${state.pages_build}`);
}

async function show(state) {
  showStatus(state);
  showProblems(state);
  showNotes(state);
  if (state.pages_build !== Number(pages.dataset.build)) await showPages(state);
}

const events = new EventSource("/events");
events.addEventListener("state", event => {
  const state = JSON.parse(event.data);
  queue = queue.then(() => show(state));
});
events.onerror = () => {
  body.dataset.connection = "lost";
  statusText.textContent = "与预览服务器的连接已断开，正在重连…";
};
</script>
</body>
</html>
"""


def render_page(title: str, draft: bool) -> bytes:
    badge = ' <span class="draft-badge">样稿</span>' if draft else ""
    kind = "样稿预览" if draft else "预览"
    return (PAGE.replace("@TITLE@", escape(f"{title} · {kind}"))
            .replace("@HEADING@", escape(title) + badge).encode("utf-8"))
