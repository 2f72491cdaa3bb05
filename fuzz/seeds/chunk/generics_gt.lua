type P = Pair<Box<string>, Map<string, Box<number>>>
local f: <T>(T) -> T = nil
