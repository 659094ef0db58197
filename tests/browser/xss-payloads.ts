/**
 * Cross-site scripting payloads in the families of OWASP's filter-evasion
 * cheat sheet, each of which calls `window.__xss(n)` (never alert) if it ever
 * runs, n telling which one did. They go where citizens' words go: the title,
 * description and address of a 12345 work order.
 */

/** What runs in the page itself, and what runs in a frame the payload creates. */
interface Call { self: string, frame: string, n: number }

type Template = (call: Call) => string

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64')

const TEMPLATES: Template[] = [
  // <script> in many casings and shapes
  c => `<script>${c.self}</script>`,
  c => `<SCRIPT>${c.self}</SCRIPT>`,
  c => `<ScRiPt>${c.self}</sCrIpT>`,
  c => `<script type="module">${c.self}</script>`,
  c => `<script src="data:text/javascript,${c.self}"></script>`,
  c => `<script/xss>${c.self}</script>`,
  c => `<scr<script>ipt>${c.self}</scr</script>ipt>`,
  c => `<<script>${c.self}//<</script>`,
  c => `<script\t>${c.self}</script\t>`,
  // event handlers on img, svg, body, media and form elements
  c => `<img src=x onerror=${c.self}>`,
  c => `<IMG SRC=x OnErRoR="${c.self}">`,
  c => `<img src="x" onerror="&#119;indow.__xss(${c.n})">`,
  c => `<img src=x onerror=eval(atob('${b64(c.self)}'))>`,
  c => `<img src=x onerror=window['__x'+'ss'](${c.n})>`,
  c => `<img src=x onerror=top[atob('X194c3M=')](${c.n})>`,
  c => `<image src=x onerror=${c.self}>`,
  c => `<svg onload=${c.self}>`,
  c => `<svg/onload=${c.self}>`,
  c => `<svg\tonload=${c.self}>`,
  c => `<svg><script>${c.self}</script></svg>`,
  c => `<svg><animate onbegin=${c.self} attributeName=x dur=1s>`,
  c => `<svg><a xlink:href="javascript:${c.self}"><text x=20 y=20>x</text></a></svg>`,
  c => `<body onload=${c.self}>`,
  c => `<body onpageshow=${c.self}>`,
  c => `<details open ontoggle=${c.self}>`,
  c => `<input autofocus onfocus=${c.self}>`,
  c => `<select autofocus onfocus=${c.self}></select>`,
  c => `<textarea autofocus onfocus=${c.self}></textarea>`,
  c => `<video><source onerror=${c.self}></video>`,
  c => `<audio src=x onerror=${c.self}>`,
  c => `<marquee onstart=${c.self}>x</marquee>`,
  c => `<x contenteditable autofocus onfocus=${c.self}>x</x>`,
  c => `<isindex type=image src=1 onerror=${c.self}>`,
  c => `<style>@keyframes x{}</style><b style="animation-name:x" onanimationstart="${c.self}"></b>`,
  // javascript: and data: URLs, plain and encoded
  c => `<a href="javascript:${c.self}">x</a>`,
  c => `<a href="jav&#x09;ascript:${c.self}">x</a>`,
  c => `<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;:${c.self}">x</a>`,
  c => `<a href="javascript&colon;${c.self}">x</a>`,
  c => `<a href=" &#14; javascript:${c.self}">x</a>`,
  c => `<a href="JaVaScRiPt:${c.self}">x</a>`,
  c => `<form action="javascript:${c.self}"><button>x</button></form>`,
  c => `<math><a xlink:href="javascript:${c.self}">x</a></math>`,
  c => `<base href="javascript:${c.self}//">`,
  c => `<meta http-equiv="refresh" content="0;url=javascript:${c.self}">`,
  c => `javascript:${c.self}`,
  c => `data:text/html;base64,${b64(`<script>${c.frame}</script>`)}`,
  c => `<object data="data:text/html,<script>${c.frame}</script>">`,
  c => `<embed src="data:text/html,<script>${c.frame}</script>">`,
  // frames: javascript:, data: and srcdoc
  c => `<iframe src="javascript:${c.frame}">`,
  c => `<iframe src="data:text/html,<script>${c.frame}</script>">`,
  c => `<iframe srcdoc="<script>${c.frame}</script>">`,
  c => `<iframe srcdoc="&lt;img src=x onerror=${c.frame}&gt;">`,
  // style and expression()
  c => `<div style="background:url(javascript:${c.self})">x</div>`,
  c => `<div style="width:expression(${c.self})">x</div>`,
  c => `<style>@import 'javascript:${c.self}';</style>`,
  c => `<link rel=stylesheet href="javascript:${c.self}">`,
  // HTML entities, URL and unicode escapes of the same markup
  c => `&lt;script&gt;${c.self}&lt;/script&gt;`,
  c => `&#60;img src=x onerror=${c.self}&#62;`,
  c => `\\u003cscript\\u003e${c.self}\\u003c/script\\u003e`,
  c => `%3Cscript%3E${c.self}%3C/script%3E`,
  c => `\\x3cimg src=x onerror=${c.self}\\x3e`,
  c => `＜script＞${c.self}＜/script＞`,
  // broken and nested tags
  c => `<img """><script>${c.self}</script>">`,
  c => `<img src=x onerror=${c.self}//`,
  c => `<<img src=x onerror=${c.self}//<`,
  c => `<img src="x\` \`<script>${c.self}</script>"\` \`>`,
  // mutation XSS shapes (markup that changes meaning when parsed twice)
  c => `<noscript><p title="</noscript><img src=x onerror=${c.self}>">`,
  c => `<svg></p><style><a id="</style><img src=1 onerror=${c.self}>">`,
  c => `<math><mtext><table><mglyph><style><img src=x onerror=${c.self}>`,
  c => `<form><math><mtext></form><form><mglyph><style></math><img src onerror=${c.self}>`,
  c => `<listing>&lt;img src=x onerror=${c.self}&gt;</listing>`,
  // template injection (Vue, Angular, others) and attribute breakouts
  c => `{{constructor.constructor('${c.self}')()}}`,
  c => `{{$on.constructor('${c.self}')()}}`,
  c => `{{_c.constructor('${c.self}')()}}`,
  c => `{{_openBlock.constructor('${c.self}')()}}`,
  c => `<div v-html="'<img src=x onerror=${c.self}>'"></div>`,
  c => `<div v-on:click="${c.self}" @mouseover="${c.self}">x</div>`,
  c => `\${${c.self}}`,
  c => `#{${c.self}} <%= ${c.self} %> [[${c.self}]]`,
  c => `"onmouseover="${c.self}`,
  c => `' onfocus='${c.self}' autofocus='`,
]

/** Where a payload may find itself: bare text, or after markup that closes an attribute, a tag or a raw-text element. */
const BREAKOUTS = ['', '">', '\'>', '</title></textarea></style>']

/** The schema's limits (shared/schemas/incidents.ts): title and address at most 200 characters, the title trimmed. */
const MAX_CHARS = 200

/** `count` distinct payloads, the families interleaved so that any prefix of the list covers all of them. */
export function xssPayloads(count: number): string[] {
  const shapes = BREAKOUTS.flatMap(breakout => TEMPLATES.map(template => ({ breakout, template })))
  const payloads = shapes.slice(0, count).map(({ breakout, template }, i) => {
    const n = i + 1
    const payload = breakout + template({ self: `window.__xss(${n})`, frame: `parent.__xss(${n})`, n })
    if (payload.length > MAX_CHARS || payload !== payload.trim())
      throw new Error(`payload ${n} does not fit the incident schema: ${payload}`)
    return payload
  })
  if (new Set(payloads).size !== count)
    throw new Error(`only ${new Set(payloads).size} distinct payloads, ${count} wanted`)
  return payloads
}
