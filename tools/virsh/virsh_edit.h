// The edit loop that edit and net-edit share, as virsh runs it: the XML is
// written to $TMPDIR/virshXXXXXX.xml, $VISUAL (or $EDITOR, or vi) edits it,
// an unchanged document is reported as such, and a changed one is defined
// again. When that fails and stdin is a terminal, the user is asked
// "Failed. Try again? [y,n,i,f,?]" (re-edit, give up, define without
// validation, define again); without a terminal virsh prints "error:
// Failed." and carries on as if the edit had succeeded.
#ifndef VIRTKIT_TOOLS_VIRSH_VIRSH_EDIT_H
#define VIRTKIT_TOOLS_VIRSH_VIRSH_EDIT_H

#include <functional>
#include <string>

#include "shell.h"

namespace virt::virsh {

struct EditHooks {
  // The object's current XML (malloc'd), or nullptr after a library error.
  std::function<char*()> get_xml;
  // Defines the edited document; false on failure (library error kept).
  std::function<bool(const std::string& xml)> define;
  // Turns validation off for the next define; empty when the object type
  // has no validation to relax (the prompt then lacks 'i').
  std::function<void()> relax;
};

enum class EditOutcome {
  kNotChanged,  // the editor left the document as it was
  kEdited,      // defined again (or virsh's non-interactive "Failed." path)
  kFailed,      // an error was reported, or the user threw the changes away
};

EditOutcome RunEdit(Shell& shell, const EditHooks& hooks);

}  // namespace virt::virsh

#endif  // VIRTKIT_TOOLS_VIRSH_VIRSH_EDIT_H
