package serve

import "strings"

// EventsPath is where pages listen for changes.
const EventsPath = "/_plansite/events"

// clientScript is injected into every HTML page. On "reload" naming this
// page (or all), it keeps the scroll position and reloads; on "css" it
// swaps the stylesheets in place; a hello from another server instance (a
// restart) reloads too. EventSource reconnects by itself. window.plansiteLive
// says the page is listening (tests wait for it).
const clientScript = `<script data-plansite-live>(function(){
var id="__ID__",k="plansite-scroll:"+location.pathname,y=sessionStorage.getItem(k);
if(y!==null){sessionStorage.removeItem(k);var go=function(){scrollTo(0,+y)};go();addEventListener("load",go)}
function reload(){sessionStorage.setItem(k,String(scrollY));location.reload()}
var here=decodeURI(location.pathname);
var es=new EventSource("` + EventsPath + `");
es.addEventListener("hello",function(e){if(e.data!==id)reload();else window.plansiteLive=true});
es.addEventListener("reload",function(e){var d=JSON.parse(e.data);
if(d.all||(d.paths||[]).some(function(p){return decodeURI(p)===here}))reload()});
es.addEventListener("css",function(){document.querySelectorAll('link[rel~="stylesheet"]').forEach(function(l){
var u=new URL(l.href,location.href);u.searchParams.set("plansite",Date.now());l.href=u.href})});
})();</script>
`

// scriptFor is the script of the server instance id.
func scriptFor(id string) string { return strings.Replace(clientScript, "__ID__", id, 1) }
