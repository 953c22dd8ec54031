using SharpTun.Bench;

// sharptun micro-benchmarks: one subcommand per measurement; prints figures, asserts nothing but that the work was done.
return args switch
{
    ["scaling", ..] => ScalingBench.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 20_000),
    ["udp-offload"] => UdpOffloadBench.Run(),
    ["dataplane", ..] => DataPlaneBench.Run(Arg(1, 400_000), Arg(2, 64_000), Arg(3, 3)),
    ["mac1", ..] => MacBench.Run(Arg(1, 200_000)),
    _ => Usage(),
};

int Arg(int i, int fallback) => args.Length > i ? int.Parse(args[i], System.Globalization.CultureInfo.InvariantCulture) : fallback;

static int Usage()
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project bench/SharpTun.Bench -- scaling [PACKETS] | udp-offload | dataplane [OUT_PACKETS IN_PACKETS RUNS] | mac1 [CALLS]");
    return 2;
}
