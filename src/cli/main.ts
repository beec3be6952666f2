/** The `kube-netlens` command line. */
console.log('kube-netlens');
