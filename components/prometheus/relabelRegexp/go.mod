module relabelregexp

go 1.23

require github.com/grafana/regexp v0.0.0-20240518133315-a468a5bfb3bc
