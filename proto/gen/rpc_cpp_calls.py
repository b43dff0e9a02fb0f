"""Emits the C++ around a program's procedures:

  <stem>_procedures.h/.cc  the procedure enum and table (number, names,
                           read-only rule, priority, stream direction)
  <stem>_client.h/.cc      the client stubs (one method per call) and the
                           listener interface for events, with their
                           dispatcher
  <stem>_server.h/.cc      the handler interface the daemon implements (one
                           virtual method per call, answering NO_SUPPORT by
                           default) and the dispatcher that decodes a call,
                           applies the read-only rule and encodes the reply

The support code these files call is hand-written in src/rpc/procedure.h.
"""

from rpc_cpp_types import BANNER, guard, type_name
from rpc_model import camel, constant_name


def _calls(desc):
    return [p for p in desc.procedures if p.kind == 'call']


def _events(desc):
    return [p for p in desc.procedures if p.kind == 'event']


def _prefix(desc):
    return camel(desc.program.name)


def _wire_name(desc, proc):
    return '%s_PROC_%s' % (desc.program.name.upper(), proc.name.upper())


def _api_name(proc):
    return 'vir' + camel(proc.name) if proc.kind == 'call' else ''


def _error_domain(proc):
    """The error domain libvirt raises for the API's object family."""
    if proc.name.startswith('domain_'):
        return 'VIR_FROM_DOMAIN'
    if proc.name.startswith('network_'):
        return 'VIR_FROM_NETWORK'
    return 'VIR_FROM_NONE'


def _summary(desc, proc):
    traits = []
    if proc.kind == 'call':
        traits.append('writes' if proc.writes else 'reads')
        if proc.deny_ro_flags:
            traits.append('denied read-only with flags 0x%x' % proc.deny_ro_flags)
    if proc.priority_high:
        traits.append('high priority')
    if proc.stream:
        traits.append('%s stream' % proc.stream)
    api = (' (%s)' % _api_name(proc)) if proc.kind == 'call' else ''
    return '// %s = %d%s: %s.' % (_wire_name(desc, proc), proc.number, api, ', '.join(traits)
                                  or 'event')


def _ret_type(proc):
    return 'Result<%s>' % type_name(proc.ret) if proc.ret else 'Status'


def _handler_params(proc):
    params = ['const CallContext& ctx']
    if proc.args:
        params.append('const %s& args' % type_name(proc.args))
    return ', '.join(params)


# ---- Procedure table ----------------------------------------------------------

def procedures_header(desc):
    prefix = _prefix(desc)
    out = [BANNER % desc.stem,
           '#ifndef ' + guard(desc.stem, 'procedures'),
           '#define ' + guard(desc.stem, 'procedures'), '',
           '#include <cstdint>', '#include <span>', '',
           '#include "rpc/procedure.h"', '', 'namespace virt::rpc {', '',
           'enum class %sProc : int32_t {' % prefix]
    out += ['  %s = %d,' % (constant_name(p.name), p.number)
            for p in sorted(desc.procedures, key=lambda p: p.number)]
    out += ['};', '',
            '// Every procedure of the %s program, sorted by number.' % desc.program.name,
            'std::span<const ProcedureInfo> %sProcedures();' % prefix, '',
            '// The procedure numbered \'number\', or nullptr when the program has none.',
            'const ProcedureInfo* Find%sProcedure(int32_t number);' % prefix, '',
            '}  // namespace virt::rpc', '', '#endif  // ' + guard(desc.stem, 'procedures')]
    return '\n'.join(out) + '\n'


def procedures_source(desc):
    prefix = _prefix(desc)
    out = [BANNER % desc.stem, '#include "rpc/%s_procedures.h"' % desc.stem, '',
           '#include <libvirt/virterror.h>', '', 'namespace virt::rpc {', 'namespace {', '',
           'constexpr ProcedureInfo kProcedures[] = {']
    for p in sorted(desc.procedures, key=lambda p: p.number):
        out += ['    {.number = %d,' % p.number,
                '     .name = "%s",' % p.name.upper(),
                '     .api = "%s",' % _api_name(p),
                '     .args = "%s",' % (type_name(p.args or p.msg) if (p.args or p.msg) else ''),
                '     .ret = "%s",' % (type_name(p.ret) if p.ret else ''),
                '     .kind = ProcedureKind::%s,' % ('kCall' if p.kind == 'call' else 'kEvent'),
                '     .writes = %s,' % ('true' if p.writes else 'false'),
                '     .deny_ro_flags = 0x%xu,' % p.deny_ro_flags,
                '     .high_priority = %s,' % ('true' if p.priority_high else 'false'),
                '     .stream = StreamDirection::%s,' % {'': 'kNone', 'read': 'kRead',
                                                         'write': 'kWrite'}[p.stream],
                '     .error_domain = %s},' % _error_domain(p)]
    out += ['};', '', '}  // namespace', '',
            'std::span<const ProcedureInfo> %sProcedures() { return kProcedures; }' % prefix, '',
            'const ProcedureInfo* Find%sProcedure(int32_t number) {' % prefix,
            '  return FindProcedure(kProcedures, number);', '}', '',
            '}  // namespace virt::rpc']
    return '\n'.join(out) + '\n'


# ---- Client -------------------------------------------------------------------

def _event_signature(prefix, end):
    head = 'Status Dispatch%sEvent(' % prefix
    indent = ' ' * len(head)
    return [head + '%sEventListener& listener, int32_t procedure,' % prefix,
            indent + 'std::span<const uint8_t> body)' + end]


def client_header(desc):
    prefix = _prefix(desc)
    out = [BANNER % desc.stem,
           '#ifndef ' + guard(desc.stem, 'client'),
           '#define ' + guard(desc.stem, 'client'), '',
           '#include <cstdint>', '#include <span>', '',
           '#include "core/status.h"', '#include "rpc/procedure.h"',
           '#include "rpc/%s_protocol.h"' % desc.stem, '', 'namespace virt::rpc {', '']
    if _calls(desc):
        out += ['// One method per call of the %s program. Each encodes its arguments,' % desc.program.name,
                '// sends them through the transport and decodes the reply; a remote',
                '// error comes back as the Status the transport made of it. Thread-safe',
                '// if the transport is.',
                'class %sClient {' % prefix, ' public:',
                '  explicit %sClient(CallTransport& transport) : transport_(transport) {}' % prefix, '']
        for p in _calls(desc):
            args = 'const %s& args' % type_name(p.args) if p.args else ''
            out += ['  ' + _summary(desc, p),
                    '  %s %s(%s);' % (_ret_type(p), camel(p.name), args)]
        out += ['', ' private:', '  CallTransport& transport_;', '};', '']
    if _events(desc):
        out += ['// Receives the events (MESSAGE packets) of the %s program. The' % desc.program.name,
                '// defaults ignore them.',
                'class %sEventListener {' % prefix, ' public:',
                '  virtual ~%sEventListener() = default;' % prefix, '']
        for p in _events(desc):
            param = 'const %s& msg' % type_name(p.msg) if p.msg else ''
            out += ['  ' + _summary(desc, p),
                    '  virtual void On%s(%s) {}' % (camel(p.name), param)]
        out += ['};', '',
                '// Decodes the body of an event of the %s program and hands it to' % desc.program.name,
                '// \'listener\'. Fails (VIR_ERR_RPC) for a procedure that is not an event or a',
                '// body that does not decode; the listener is then not called.',
] + _event_signature(prefix, ';') + ['']
    out += ['}  // namespace virt::rpc', '', '#endif  // ' + guard(desc.stem, 'client')]
    return '\n'.join(out) + '\n'


def client_source(desc):
    prefix = _prefix(desc)
    program = '%sProgram, %sProgramVersion' % (constant_name(desc.program.name),
                                               constant_name(desc.program.name))
    out = [BANNER % desc.stem, '#include "rpc/%s_client.h"' % desc.stem, '',
           '#include "rpc/%s_procedures.h"' % desc.stem, '', 'namespace virt::rpc {', '']
    for p in _calls(desc):
        args = 'const %s& args' % type_name(p.args) if p.args else ''
        value = 'args' if p.args else 'NoArgs{}'
        out.append('%s %sClient::%s(%s) {' % (_ret_type(p), prefix, camel(p.name), args))
        if p.ret:
            out.append('  return CallWithReply<%s>(transport_, %s, %d, %s);'
                       % (type_name(p.ret), program, p.number, value))
        else:
            out.append('  return CallWithoutReply(transport_, %s, %d, %s);'
                       % (program, p.number, value))
        out += ['}', '']
    if _events(desc):
        out += _event_signature(prefix, ' {') + [
                '  const ProcedureInfo* info = Find%sProcedure(procedure);' % prefix,
                '  if (info == nullptr || info->kind != ProcedureKind::kEvent)',
                '    return UnknownProcedure(%s, procedure);' % program,
                '  switch (procedure) {']
        for p in _events(desc):
            out.append('    case %d: {  // %s' % (p.number, p.name.upper()))
            if p.msg:
                out += ['      %s msg;' % type_name(p.msg),
                        '      VIRT_RETURN_IF_ERROR(DecodeBody(body, msg, *info));',
                        '      listener.On%s(msg);' % camel(p.name)]
            else:
                out += ['      NoArgs none;',
                        '      VIRT_RETURN_IF_ERROR(DecodeBody(body, none, *info));',
                        '      listener.On%s();' % camel(p.name)]
            out += ['      return Status::OK();', '    }']
        out += ['  }', '  return UnknownProcedure(%s, procedure);' % program, '}', '']
    out += ['}  // namespace virt::rpc']
    return '\n'.join(out) + '\n'


# ---- Server -------------------------------------------------------------------

def _dispatch_signature(prefix, end):
    head = 'Result<std::vector<uint8_t>> Dispatch%sCall(' % prefix
    indent = ' ' * len(head)
    return [head + '%sHandler& handler, const CallContext& ctx,' % prefix,
            indent + 'int32_t procedure, std::span<const uint8_t> args)' + end]


def server_header(desc):
    prefix = _prefix(desc)
    out = [BANNER % desc.stem,
           '#ifndef ' + guard(desc.stem, 'server'),
           '#define ' + guard(desc.stem, 'server'), '',
           '#include <cstdint>', '#include <span>', '#include <vector>', '',
           '#include "core/status.h"', '#include "rpc/procedure.h"',
           '#include "rpc/%s_protocol.h"' % desc.stem, '', 'namespace virt::rpc {', '',
           '// What the daemon implements to serve the %s program: one method per' % desc.program.name,
           '// call. A method that is not overridden answers VIR_ERR_NO_SUPPORT naming',
           '// the API. Dispatch%sCall has already refused calls the read-only rule' % prefix,
           '// forbids when a method runs. Methods may run on several workers at once.',
           'class %sHandler {' % prefix, ' public:', '  virtual ~%sHandler() = default;' % prefix, '']
    for p in _calls(desc):
        out += ['  ' + _summary(desc, p),
                '  virtual %s %s(%s);' % (_ret_type(p), camel(p.name), _handler_params(p))]
    out += ['};', '',
            '// Serves one CALL of the %s program: refuses it if \'ctx\' is read-only and' % desc.program.name,
            '// the procedure writes (VIR_ERR_OPERATION_DENIED), decodes the arguments',
            '// (VIR_ERR_RPC if they do not), runs the handler and encodes its result.',
            '// Returns the reply body for a REPLY with status OK, or the error to send',
            '// as a REPLY with status ERROR. A number libvirt defines but this',
            '// description lacks answers VIR_ERR_NO_SUPPORT; any other number answers',
            '// VIR_ERR_RPC "unknown procedure: N", as libvirtd does.'] + \
        _dispatch_signature(prefix, ';') + ['',
            '}  // namespace virt::rpc', '', '#endif  // ' + guard(desc.stem, 'server')]
    return '\n'.join(out) + '\n'


def server_source(desc):
    prefix = _prefix(desc)
    program = '%sProgram, %sProgramVersion' % (constant_name(desc.program.name),
                                               constant_name(desc.program.name))
    out = [BANNER % desc.stem, '#include "rpc/%s_server.h"' % desc.stem, '',
           '#include "rpc/%s_procedures.h"' % desc.stem, '', 'namespace virt::rpc {', '']
    for p in _calls(desc):
        out += ['%s %sHandler::%s(%s) {' % (_ret_type(p), prefix, camel(p.name),
                                           _handler_params(p)),
                '  return UnsupportedProcedure(*Find%sProcedure(%d));' % (prefix, p.number),
                '}', '']
    known = desc.program.known_through
    out += _dispatch_signature(prefix, ' {') + [
            '  const ProcedureInfo* info = Find%sProcedure(procedure);' % prefix]
    if desc.lacking:
        out += ['  switch (procedure) {  // libvirt procedures whose API virtkit lacks']
        for name, number in sorted(desc.lacking, key=lambda x: x[1]):
            out.append('    case %d: return UndescribedProcedure(procedure, "vir%s");'
                       % (number, camel(name)))
        out += ['  }']
    if known:
        out += ['  // libvirt has procedures up to %d; those not described here are APIs' % known,
                '  // virtkit lacks, not protocol errors.',
                '  if (info == nullptr && procedure >= 1 && procedure <= %d)' % known,
                '    return UndescribedProcedure(procedure);']
    out += ['  if (info == nullptr || info->kind != ProcedureKind::kCall)',
            '    return UnknownProcedure(%s, procedure);' % program,
            '  if (info->writes && ctx.read_only) return DeniedOnReadOnly(*info);',
            '  switch (procedure) {']
    for p in _calls(desc):
        out.append('    case %d: {  // %s' % (p.number, p.name.upper()))
        call_args = 'ctx'
        if p.args:
            out += ['      %s decoded;' % type_name(p.args),
                    '      VIRT_RETURN_IF_ERROR(DecodeBody(args, decoded, *info));']
            call_args = 'ctx, decoded'
        else:
            out += ['      NoArgs none;',
                    '      VIRT_RETURN_IF_ERROR(DecodeBody(args, none, *info));']
        if p.deny_ro_flags:
            out.append('      if (ctx.read_only && (decoded.flags & 0x%xu) != 0)'
                       % p.deny_ro_flags)
            out.append('        return DeniedOnReadOnly(*info);')
        out += ['      return EncodeReply(handler.%s(%s));' % (camel(p.name), call_args),
                '    }']
    out += ['  }', '  return UnknownProcedure(%s, procedure);' % program, '}', '',
            '}  // namespace virt::rpc']
    return '\n'.join(out) + '\n'
