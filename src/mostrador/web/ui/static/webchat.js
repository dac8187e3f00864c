/* Mostrador web chat widget.
 * Embed: <script src="https://mostrador.example/webchat/widget.js" data-key="KEY"
 *          data-title="¿Te ayudamos?" data-user-id="42" data-signature="HMAC"></script>
 * data-user-id / data-signature are optional: the shop's backend signs the logged-in
 * shopper's id (HMAC-SHA256 with the chat's identity secret) so we know who they are.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) { return; }
  var key = script.getAttribute("data-key");
  var base = new URL(script.src).origin + "/webchat/" + encodeURIComponent(key);
  var title = script.getAttribute("data-title") || "¿Te ayudamos?";
  var userId = script.getAttribute("data-user-id");
  var signature = script.getAttribute("data-signature");
  var storeKey = "mostrador-chat-" + key;
  var session = null;
  var seen = {};

  function el(tag, css, text) {
    var node = document.createElement(tag);
    if (css) { node.style.cssText = css; }
    if (text) { node.textContent = text; }
    return node;
  }

  var bubble = el("button", "position:fixed;right:20px;bottom:20px;width:56px;height:56px;border-radius:50%;border:0;background:#0f766e;color:#fff;font-size:24px;cursor:pointer;z-index:2147483000", "💬");
  bubble.setAttribute("aria-label", title);
  var panel = el("div", "position:fixed;right:20px;bottom:88px;width:320px;max-height:460px;display:none;flex-direction:column;background:#fff;border:1px solid #d4d4d8;border-radius:12px;box-shadow:0 8px 24px rgba(0,0,0,.15);font:14px system-ui,sans-serif;z-index:2147483000");
  var header = el("div", "padding:12px;background:#0f766e;color:#fff;border-radius:12px 12px 0 0;font-weight:600", title);
  var list = el("div", "flex:1;overflow:auto;padding:8px;display:flex;flex-direction:column;gap:6px;min-height:200px");
  list.setAttribute("role", "log");
  list.setAttribute("aria-live", "polite");
  var form = el("form", "display:flex;border-top:1px solid #e4e4e7");
  var input = el("input", "flex:1;border:0;padding:10px;font:inherit");
  input.placeholder = "Escribí tu mensaje…";
  input.setAttribute("aria-label", "Mensaje");
  var send = el("button", "border:0;background:none;color:#0f766e;font-weight:600;padding:0 12px;cursor:pointer", "Enviar");
  form.appendChild(input); form.appendChild(send);
  panel.appendChild(header); panel.appendChild(list); panel.appendChild(form);
  document.body.appendChild(panel); document.body.appendChild(bubble);

  function show(message) {
    if (seen[message.id]) { return; }
    seen[message.id] = true;
    var mine = message.direction === "inbound";
    var row = el("div", "max-width:80%;padding:8px 10px;border-radius:10px;white-space:pre-wrap;" +
      (mine ? "align-self:flex-end;background:#ccfbf1" : "align-self:flex-start;background:#f4f4f5"), message.text);
    list.appendChild(row);
    list.scrollTop = list.scrollHeight;
  }

  function request(method, path, body) {
    return fetch(base + path, {
      method: method,
      headers: body ? { "Content-Type": "application/json" } : {},
      body: body ? JSON.stringify(body) : undefined
    }).then(function (r) { return r.json(); });
  }

  function open() {
    var stored = window.localStorage.getItem(storeKey);
    var ready = stored ? Promise.resolve(JSON.parse(stored)) : request("POST", "/sessions");
    return ready.then(function (s) {
      session = s;
      window.localStorage.setItem(storeKey, JSON.stringify(s));
      var query = "?visitor_id=" + encodeURIComponent(s.visitor_id) + "&token=" + encodeURIComponent(s.token);
      request("GET", "/messages" + query).then(function (items) { items.forEach(show); });
      var stream = new EventSource(base + "/stream" + query);
      stream.addEventListener("message", function (e) { show(JSON.parse(e.data)); });
    });
  }

  bubble.addEventListener("click", function () {
    var visible = panel.style.display === "flex";
    panel.style.display = visible ? "none" : "flex";
    if (!visible && !session) { open(); }
    if (!visible) { input.focus(); }
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text || !session) { return; }
    input.value = "";
    var body = { visitor_id: session.visitor_id, token: session.token, text: text,
      client_message_id: Date.now().toString(36) + Math.random().toString(36).slice(2, 8) };
    if (userId && signature) { body.user_id = userId; body.signature = signature; }
    request("POST", "/messages", body);
  });
})();
