// The front-end libraries, served from their WebJars in the jar (no network, no build) and loaded the first time a
// page needs one: dagre lays out graphs, ECharts draws charts, marked turns Markdown into HTML and DOMPurify cleans
// that HTML before it reaches the page.

const LIBS = {
  dagre: {src: 'webjars/dagre/0.8.4/dist/dagre.min.js', global: 'dagre'},
  echarts: {src: 'webjars/echarts/5.3.1/dist/echarts.min.js', global: 'echarts'},
  marked: {src: 'webjars/marked/4.3.0/marked.min.js', global: 'marked'},
  purify: {src: 'webjars/dompurify/2.4.0/dist/purify.min.js', global: 'DOMPurify'},
};
const loading = new Map();

/** The library's global object, once its script has run. */
export function load(name) {
  const lib = LIBS[name];
  if (window[lib.global]) return Promise.resolve(window[lib.global]);
  if (!loading.has(name)) {
    loading.set(name, new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = lib.src;
      script.onload = () => resolve(window[lib.global]);
      script.onerror = () => reject(new Error('could not load ' + lib.src));
      document.head.append(script);
    }));
  }
  return loading.get(name);
}

/**
 * Markdown as a DOM fragment: marked renders it, DOMPurify removes scripts, event handlers, javascript: links and
 * anything else that is not plain formatting, and the cleaned DOM (never an HTML string) goes into the page.
 */
export async function markdown(text) {
  const [marked, purify] = await Promise.all([load('marked'), load('purify')]);
  const html = marked.parse(String(text || ''), {mangle: false, headerIds: false});
  return purify.sanitize(html, {RETURN_DOM_FRAGMENT: true, FORBID_TAGS: ['style', 'form', 'input', 'img'],
    FORBID_ATTR: ['style']});
}
