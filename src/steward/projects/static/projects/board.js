// Drag and drop for the project board and backlog (no inline script: CSP).
// Board: dropping a card on a column fills the board form's item/state fields and submits it
// through HTMX; the server answers with the whole board, so a refused move comes back in place
// with the reason. Backlog: dragging reorders the list; dropping submits the new order.
(function () {
  "use strict";
  var dragged = null;

  function closest(node, selector) {
    return node && node.closest ? node.closest(selector) : null;
  }

  function submit(form) {
    if (window.htmx) {
      window.htmx.trigger(form, "submit");
    } else {
      form.submit();
    }
  }

  document.addEventListener("dragstart", function (event) {
    var card = closest(event.target, "[data-card][draggable=true]");
    if (!card) return;
    dragged = card;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.dataset.card);
    card.classList.add("opacity-50");
  });

  document.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("opacity-50");
    dragged = null;
    document.querySelectorAll("[data-column].bg-azure-lt").forEach(function (c) { c.classList.remove("bg-azure-lt"); });
  });

  document.addEventListener("dragover", function (event) {
    if (!dragged) return;
    var column = closest(event.target, "[data-board] [data-column]");
    if (column) {
      event.preventDefault();
      event.dataTransfer.dropEffect = "move";
      column.classList.add("bg-azure-lt");
      return;
    }
    var list = closest(event.target, "[data-sortable]");
    if (list && list.contains(dragged)) {
      event.preventDefault();
      var over = closest(event.target, "[data-card]");
      if (over && over !== dragged && list.contains(over)) {
        var box = over.getBoundingClientRect();
        var after = event.clientY > box.top + box.height / 2;
        over.parentNode.insertBefore(dragged, after ? over.nextSibling : over);
      }
    }
  });

  document.addEventListener("dragleave", function (event) {
    var column = closest(event.target, "[data-column]");
    if (column && !column.contains(event.relatedTarget)) column.classList.remove("bg-azure-lt");
  });

  document.addEventListener("drop", function (event) {
    if (!dragged) return;
    var column = closest(event.target, "[data-board] [data-column]");
    if (column) {
      event.preventDefault();
      var board = closest(column, "[data-board]");
      if (dragged.dataset.state === column.dataset.column) return;
      board.querySelector("[data-board-item]").value = dragged.dataset.card;
      board.querySelector("[data-board-state]").value = column.dataset.column;
      // Show the card in its new column at once; the server's answer redraws the board either way.
      column.querySelector("[data-column-body]").appendChild(dragged);
      submit(board);
      return;
    }
    var list = closest(event.target, "[data-sortable]");
    if (list && list.contains(dragged)) {
      event.preventDefault();
      submit(list);
    }
  });
})();
