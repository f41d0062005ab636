// Progressive enhancement only: every page works without this file.
// "/" focuses the search field of the page, as on many code hosts.
document.addEventListener("keydown", function (e) {
  if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
  var t = e.target;
  if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
  var field = document.querySelector("[data-shortcut='/']");
  if (field) {
    e.preventDefault();
    field.focus();
    field.select();
  }
});
