// mockloop: three small enhancements; every page works without them.
// 1. "Read aloud" buttons speak the question with the browser's speech synthesis.
// 2. A countdown of the question's suggested time, or of the loop round's time left (it turns red
//    when time is up; nothing is enforced: the debrief notes the overrun).
// 3. "Copy" buttons (data-copy) put an element's text on the clipboard (the invitation link).
document.addEventListener("DOMContentLoaded", () => {
  if ("speechSynthesis" in window) {
    document.querySelectorAll("[data-speak]").forEach((button) => {
      button.hidden = false;
      button.addEventListener("click", () => {
        const target = document.querySelector(button.dataset.speak);
        if (!target) return;
        speechSynthesis.cancel();
        speechSynthesis.speak(new SpeechSynthesisUtterance(target.textContent));
      });
    });
  }
  // On loop pages, data-seconds is what is left of the round's budget (negative when over).
  document.querySelectorAll(".countdown[data-minutes], .countdown[data-seconds]").forEach((el) => {
    let left = el.dataset.seconds !== undefined ? Number(el.dataset.seconds) : Number(el.dataset.minutes) * 60;
    const show = () => {
      const m = Math.floor(Math.abs(left) / 60), s = Math.abs(left) % 60;
      el.textContent = (left < 0 ? "-" : "") + m + ":" + String(s).padStart(2, "0");
      el.classList.toggle("over", left < 0);
    };
    show();
    setInterval(() => { left -= 1; show(); }, 1000);
  });
  if (navigator.clipboard) {
    document.querySelectorAll("[data-copy]").forEach((button) => {
      button.hidden = false;
      button.addEventListener("click", async () => {
        const target = document.querySelector(button.dataset.copy);
        if (!target) return;
        await navigator.clipboard.writeText(target.textContent.trim());
        button.textContent = "Copied";
      });
    });
  }
});
