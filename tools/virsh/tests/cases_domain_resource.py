"""Differential cases of setmem, setmaxmem, setvcpus, vcpucount, vcpuinfo,
vcpupin and schedinfo."""

from cases import C, D, KNOWN_LIBRARY_GAPS

UUID = "6695eb01-f6a4-8304-79aa-97f2502e193f"
AFFECT = ("", " --config", " --live", " --current", " --config --live", " --current --live",
          " --current --config")


def cases(fixture_uri):
    found = []
    for cmd in ("setmem", "setmaxmem", "setvcpus", "vcpucount", "vcpuinfo", "vcpupin", "schedinfo"):
        found += [D("help", cmd), D(cmd), D(cmd, "nope", "1"), D(cmd, "--bogus", "test"),
                  D(cmd, "--domain=")]
    for cmd in ("setmem", "setmaxmem"):
        found += [D(cmd, "test"), D(cmd, "test", "x"), D(cmd, "test", "-1"),
                  D(cmd, "test", "1x"), D(cmd, "test", "1", "2"), D(cmd, "nope", "x"),
                  D(cmd, "test", "99999999999999999999"), D(cmd, "test", "1E", lib=[0, 1]),
                  D(cmd, "test", "--size", "1G", lib=[0, 1]),
                  D(cmd, "--size=2M", "--domain", "test", lib=[0, 1])]
        for opts in AFFECT[:5]:
            found.append(D(cmd + " test 1048576" + opts + "; dominfo test", lib=[0, 1]))
            found.append(D("destroy test; " + cmd + " test 1G" + opts + "; dominfo test",
                           lib=[0, 1]))
    found += [D("setmem test 99999999999", lib=[0]), D("setmem test 1024b; dominfo test"),
              D("setmem test 1023b; dominfo test"), D("setmem test 1T", lib=[0]),
              D("setmaxmem test 1024", lib=[1])]
    found += [D("setvcpus test"), D("setvcpus test x"), D("setvcpus test 0"),
              D("setvcpus test -1"), D("setvcpus test 99999999999"), D("setvcpus test 1 2"),
              D("setvcpus test 1; vcpucount test"), D("setvcpus test 3", lib=[0]),
              D("setvcpus test 1 --maximum"), D("setvcpus test 1 --maximum --config; vcpucount test"),
              D("setvcpus test 1 --guest", lib=[0]), D("setvcpus test 2 --hotpluggable", lib=[0]),
              D("setvcpus test 1 --guest --config"), D("setvcpus nope 0"),
              D("destroy test; setvcpus test 1; vcpucount test", lib=[0]),
              D("destroy test; setvcpus test 1 --live", lib=[0])]
    for opts in AFFECT:
        found.append(D("setvcpus test 1" + opts + "; vcpucount test", lib=[0]))
    for opts in ("", " --maximum", " --active", " --live", " --config", " --current",
                 " --maximum --live", " --active --config", " --maximum --active",
                 " --live --config", " --current --live", " --guest", " --guest --config",
                 " --maximum --current"):
        found.append(D("vcpucount test" + opts, lib=[0, 1]))
        found.append(D("destroy test; vcpucount test" + opts, lib=[0, 1]))
    found += [D("vcpuinfo test"), D("vcpuinfo test --pretty"), D("vcpuinfo 1"),
              D("vcpuinfo test extra"), D("destroy test; vcpuinfo test"),
              D("suspend test; vcpuinfo test")]
    found += [D("vcpupin test"), D("vcpupin test 0"), D("vcpupin test --vcpu 1"),
              D("vcpupin test --vcpu 5"), D("vcpupin test --vcpu x"), D("vcpupin test --vcpu -1"),
              D("vcpupin test --cpulist 1"), D("vcpupin test 1 x", lib=[1]),
              D("vcpupin test 1 0-3; vcpupin test"), D("vcpupin test 0 1,3; vcpupin test 0"),
              D("vcpupin test 0 r; vcpupin test"), D("vcpupin test 0 0-99"),
              D("vcpupin test 0 0-3 --config", lib=[0]), D("vcpupin test --config"),
              D("vcpupin test --live"), D("vcpupin test 0 1 --current --live"),
              D("destroy test; vcpupin test"), D("destroy test; vcpupin test 0 1", lib=[0])]
    found += [D("schedinfo test"), D("schedinfo 1"), D("schedinfo test --weight 10"),
              D("schedinfo test weight=20; schedinfo test"), D("schedinfo test --set weight=30"),
              D("schedinfo test --set foo=1"), D("schedinfo test --set weight"),
              D("schedinfo test --set weight=x", lib=[0]), D("schedinfo test --weight x", lib=[0]),
              D("schedinfo test --cap 5"), D("schedinfo test --config", lib=[0]),
              D("schedinfo test --live", lib=[0]), D("schedinfo test --current", lib=[0]),
              D("schedinfo test --current --live"), D("destroy test; schedinfo test")]
    for cmd in ("setmem test 1G", "vcpucount test", "setvcpus test 1", "schedinfo test"):
        found.append(C("-d", "0", "-c", "test:///default", cmd))
    KNOWN_LIBRARY_GAPS.update({
        "-c test:///default 'schedinfo test --weight 10'":
            "libvirt 9.0's test driver ignores the values virDomainSetSchedulerParameters "
            "is given (weight stays 50); ours stores them",
        "-c test:///default 'schedinfo test weight=20; schedinfo test'": "as --weight 10",
        "-c test:///default 'schedinfo test --set weight=30'": "as --weight 10",
        "testnode.xml: setmem fc4 100000; dominfo fc4":
            "virDomainGetMessages returns no taint message for fc4 (libvirt: 'tainted: "
            "network configuration using opaque shell scripts')",
    })
    if fixture_uri:
        for cmd in ("vcpucount fv0", "setmem fc4 100000; dominfo fc4", "schedinfo fv0",
                    "setvcpus fv0 1; vcpucount fv0"):
            found.append(C("-c", fixture_uri, cmd, title="testnode.xml: " + cmd, lib=[0]))
    return found
