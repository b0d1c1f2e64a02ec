// Run by dashboard/app.py on every run in the page itself (st.html): the learner's language, reachable tables.
document.documentElement.lang = "LANG";
if (!window.eagerLabTables) {
  const reachable = () => {
    for (const box of document.querySelectorAll("[data-testid='stTable'] > div:not([tabindex])")) box.tabIndex = 0;
  };
  window.eagerLabTables = new MutationObserver(reachable);
  window.eagerLabTables.observe(document.body, { childList: true, subtree: true });
  reachable();
}
