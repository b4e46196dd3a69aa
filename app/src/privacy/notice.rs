//! Server-only text of the privacy notice (`/privacy`): written by the server, so its words are not in the browser's wasm, which every page's first load carries (ARCHITECTURE.md, "Words the server can write").

/// The notice as HTML, with the operator's name and contact (escaped) in "Who is responsible".
pub fn html(version: &str, operator: &str, contact: &str) -> String {
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    let write_to = if contact.is_empty() {
        "Write to them about your data".to_string()
    } else {
        let contact = esc(contact);
        format!(
            "Write to <a href=\"mailto:{contact}\" data-testid=\"privacy-contact\">{contact}</a> about your data"
        )
    };
    let responsible = format!(
        "<h2 id=\"contact\">Who is responsible</h2>\n<p>{}, which runs this site (see <a href=\"/about\">About this site</a>). {write_to}; they answer within a month, as the law asks.</p>",
        esc(operator)
    );
    format!("{}\n{responsible}", NOTICE.replace("{version}", version))
}

/// Everything above "Who is responsible"; `{version}` is the notice's version.
const NOTICE: &str = r#"<h1>Privacy and your health data</h1>
<p class="muted">Version {version}</p>
<p>Health information is special. When you join, you agree that HealthCommunity stores and processes the health information you choose to share here — in your profile, posts, answers and messages — so that we can show it to the people you share it with.</p>
<h2>What we keep</h2>
<ul>
<li>Your handle, your e-mail address (never shown to others) and a scrambled form of your password.</li>
<li>What you write, and when you agreed to this notice (with its version).</li>
<li>If you turn on two-step sign-in: its key, and your recovery codes in a scrambled form, until you turn it off.</li>
<li>For clinicians: the licence number and specialty you send for verification. Admins see them to verify you. Your licence number becomes public only if you accept a listing at a clinic: it is then shown on your directory profile, so patients can check your registration.</li>
</ul>
<h2>When we write to you</h2>
<ul>
<li>Only to an address you confirmed with the link we send at sign-up (it works for three days). Until then it gets nothing else.</li>
<li>Account mails: that link, a password link when you ask for one (it works once, for an hour), and a notice when your password changes, when two-step sign-in is turned on or off or a recovery code is used, or when someone tries to sign up with your address. These have no unsubscribe link because they come only when you, or someone typing your address, ask.</li>
<li>The daily digest, only if you asked for it; every digest has a one-click link to stop it.</li>
<li>We keep the text of a sent mail for 30 days, then only that it was sent. The secrets in links are stored scrambled and deleted a day after they expire.</li>
</ul>
<h2>Who sees what</h2>
<ul>
<li>Public posts and answers: anyone, and search engines. Members-only posts: members of that community. Support groups: their members (hidden groups are not listed at all).</li>
<li>Your direct messages: you and the member you write to. Moderators read one only if one of you reports it.</li>
<li>A request to a clinic: you and that clinic's staff.</li>
<li>Your e-mail address and your votes: nobody but you (and the count of votes, without names).</li>
<li>Admins see accounts to run the site; everything they change is written in an audit log. Advertisers never see who you are or what you wrote, and ads are never chosen from your health data, only from the page.</li>
</ul>
<h2 id="retention">How long we keep it</h2>
<ul>
<li>Your account and what you write: until you delete it (below).</li>
<li>Log-in sessions: 30 days, or until you log out or change your password. A browser you logged in from is remembered for a year, so that someone guessing your password cannot lock you out.</li>
<li>Counters against abuse (attempts per address or account): about two days.</li>
<li>The text of mails we send: 30 days, then only that a mail was sent. Links in mails: 3 days (confirming an address) or an hour (a new password), deleted a day after they expire.</li>
<li>Visitor counts: no cookie; a daily random code that cannot be traced back to you is forgotten the next day.</li>
<li>That you were active on a day (you opened a page while logged in): 30 days, to count how many members use the site each day, week and month; then only those numbers remain.</li>
<li>Searches that found nothing: the words, never who searched, so that we know what to write about (not kept when they look like a telephone or record number).</li>
</ul>
<h2 id="export">Getting a copy of your data</h2>
<p>In Settings, under “Your data”, “Prepare a copy of my data” builds a zip file of everything your account holds: your account and settings, consent history, posts, answers, votes, ratings, direct messages you sent and received, requests to clinics, communities, groups, notifications, invitations, and when you logged in — as JSON files other services can read, with a page (index.html) to read it yourself. It is ready within minutes; we notify you and e-mail a link. Only you can download it, for 7 days; then it is deleted. It holds nothing of other members' beyond what you were shown (the handle of someone you wrote to, and your conversation).</p>
<h2 id="withdraw">Withdrawing your consent</h2>
<p>In Settings, under “Your data”, one button withdraws your consent — as easily as you gave it. From then on your account is read-only and hidden: nobody can see your profile or send you messages, we send you no digest, and you cannot post, answer, vote or message. What you already wrote stays where it is until you delete your account. You can give your consent again at any time, or delete your account. Settings shows the history of both.</p>
<h2 id="delete">Deleting your account</h2>
<p>In Settings, under “Your data”, “Delete my account” asks for your password. You are logged out everywhere and we erase the account 7 days later; log in before then and nothing is deleted (we send you an e-mail about both). An admin can also erase your account at once if you ask them; the audit log records that they did.</p>
<p>When the account is erased, we delete:</p>
<ul>
<li>your handle, name, e-mail address, password, profile and settings; your sessions, remembered browsers, two-step sign-in key and recovery codes;</li>
<li>your consent records (with the account gone there is nothing left that the consent covers, so no record of it is kept); your clinician verification and licence number;</li>
<li>your votes, your ratings of doctors and clinics with their earlier versions, the earlier versions of your posts (kept when you edited them), your requests to clinics, the direct messages you sent, your saved items and their notes, your blocks and reports;</li>
<li>your community and group memberships, your notifications (and those your actions caused others), mails to you, and the abuse counters with your name or address;</li>
<li>your name in the admins' audit log (the entry stays, as “[deleted member]”).</li>
</ul>
<p>Your posts and answers: you choose. By default their words are removed and the threads stay, so that the answers others gave remain readable; or you can leave your words in place under “[deleted member]”. Either way nothing links them to you any more, and search no longer finds removed words. Other members' messages to you stay theirs.</p>
<h2>What we never do</h2>
<ul>
<li>Sell your data, or show your e-mail address to other members.</li>
<li>Put your condition or other health details into page addresses or titles that other sites could see.</li>
</ul>
<h2>Your choices</h2>
<p>Use a pseudonym, decide whether your profile shows that you are a patient or a caregiver, and change your details in Settings.</p>"#;
