// Loaded before the page is drawn (not deferred): styles that need JavaScript (the folding
// menu) apply from the first paint. A file, not an inline script: the Content-Security-Policy
// allows scripts from this site's static files only.
document.documentElement.classList.add("js");
