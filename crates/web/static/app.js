// Progressive enhancement only: every page works without this file.
import { initAll } from '/static/govuk/govuk-frontend.min.js'

document.body.classList.add('js-enabled', 'govuk-frontend-supported')
initAll()

// The area-of-benefit editor's ward filter narrows the wards on the page as
// the person types; without this file the "Show these wards" button asks the
// server for the same list.
const wardWords = document.getElementById('ward_q')
const wards = document.getElementById('wards')
if (wardWords && wards) {
  wardWords.addEventListener('input', () => {
    const words = wardWords.value.toLowerCase().split(/\s+/).filter(Boolean)
    for (const item of wards.querySelectorAll('.govuk-checkboxes__item')) {
      const input = item.querySelector('input')
      const name = item.querySelector('label').textContent.toLowerCase()
      item.hidden = !input.checked && !words.every(w => name.includes(w))
    }
    for (const group of wards.querySelectorAll('details')) {
      const any = [...group.querySelectorAll('.govuk-checkboxes__item')].some(i => !i.hidden)
      group.hidden = !any
      if (words.length && any) group.open = true
    }
  })
}
