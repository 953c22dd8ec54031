using SharpTun.Bench;

// sharptun micro-benchmarks: one subcommand per measurement; prints figures, asserts nothing but that the work was done.
return args switch
{
    ["scaling", ..] => ScalingBench.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 20_000),
    ["udp-offload"] => UdpOffloadBench.Run(),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project bench/SharpTun.Bench -- scaling [PACKETS] | udp-offload");
    return 2;
}
