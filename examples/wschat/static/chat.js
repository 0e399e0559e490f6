// The chat's page, Tornado's demos/websocket/static/chat.js without
// jQuery: the form posts over the WebSocket, and every message any
// visitor posts arrives on it.
(function () {
  "use strict";
  var form = document.getElementById("messageform");
  var input = document.getElementById("message");
  var inbox = document.getElementById("inbox");
  var url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/chatsocket";
  var socket = new WebSocket(url);
  window.chatSocket = socket; // for tests
  socket.onmessage = function (event) {
    var msg = JSON.parse(event.data);
    if (document.getElementById("m" + msg.id)) {
      return;
    }
    var div = document.createElement("div");
    div.innerHTML = msg.html;
    inbox.appendChild(div.firstChild);
  };
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    if (input.value === "") {
      return;
    }
    socket.send(JSON.stringify({ body: input.value }));
    input.value = "";
    input.focus();
  });
  input.focus();
})();
