// The chat page's script, Tornado's demos/chat/static/chat.js without
// jQuery: the form posts with fetch(), and a long poll of
// /a/message/updates shows what others post, backing off after errors.
"use strict";

(function () {
  // getCookie returns the cookie name's value, or undefined.
  function getCookie(name) {
    for (const part of document.cookie.split(";")) {
      const eq = part.indexOf("=");
      if (eq >= 0 && part.slice(0, eq).trim() === name) {
        return decodeURIComponent(part.slice(eq + 1).trim());
      }
    }
    return undefined;
  }

  // post sends args as a form body with the XSRF token from the _xsrf
  // cookie, and returns the decoded JSON answer; a status other than 200
  // is an error.
  async function post(url, args, signal) {
    args.set("_xsrf", getCookie("_xsrf") || "");
    const resp = await fetch(url, {
      method: "POST",
      body: new URLSearchParams(args),
      signal: signal,
    });
    if (!resp.ok) {
      throw new Error(url + ": " + resp.status + " " + resp.statusText);
    }
    return resp.json();
  }

  // showMessage adds a message to the inbox unless the page has it.
  function showMessage(message) {
    if (document.getElementById("m" + message.id)) {
      return;
    }
    const tpl = document.createElement("template");
    tpl.innerHTML = message.html.trim();
    document.getElementById("inbox").append(tpl.content);
  }

  // newMessage posts the form's message and shows it at once.
  async function newMessage(form) {
    const args = new FormData(form);
    args.delete("next"); // that is for browsers without JavaScript
    const submit = form.querySelector("input[type=submit]");
    submit.disabled = true;
    try {
      showMessage(await post("/a/message/new", args));
      const input = form.querySelector("input[type=text]");
      input.value = "";
      input.select();
    } catch (e) {
      console.log("ERROR:", e);
    } finally {
      submit.disabled = false;
    }
  }

  const updater = {
    errorSleepTime: 500,
    cursor: null,

    // poll waits for new messages, forever: each answer starts the next
    // poll at once, each error after a doubling pause (up to a minute).
    async poll() {
      for (;;) {
        const args = new FormData();
        if (updater.cursor) {
          args.set("cursor", updater.cursor);
        }
        try {
          updater.newMessages(await post("/a/message/updates", args));
          updater.errorSleepTime = 500;
        } catch (e) {
          updater.errorSleepTime = Math.min(updater.errorSleepTime * 2, 60000);
          console.log("Poll error; sleeping for", updater.errorSleepTime, "ms", e);
          await new Promise((r) => setTimeout(r, updater.errorSleepTime));
        }
      }
    },

    newMessages(response) {
      const messages = response.messages || [];
      if (messages.length === 0) {
        return;
      }
      updater.cursor = messages[messages.length - 1].id;
      console.log(messages.length, "new messages, cursor:", updater.cursor);
      messages.forEach(showMessage);
    },
  };

  function start() {
    const form = document.getElementById("messageform");
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      newMessage(form);
    });
    document.getElementById("message").select();
    updater.poll();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
