" vnet: AWS networks in .vnet files.
autocmd BufNewFile,BufRead *.vnet setfiletype vnet
